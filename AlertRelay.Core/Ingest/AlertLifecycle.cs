using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// What follows a stored change, inside the ingest transaction: routing of a new occurrence, inhibition
/// (muting a target, or releasing targets when their source resolves) and the start or stop of its
/// escalation ladder. Decisions come from the pure stages; this class writes them and their events.
/// </summary>
internal sealed class AlertLifecycle(AlertWriter writer, FiringIndex firing, RelayConfig config, long nowMs, List<string> eventKinds)
{
    /// <summary>A new occurrence was stored (firing or already resolved).</summary>
    public void Created(long id, Alert alert)
    {
        var receivers = RoutingStage.Receivers(config.Route, alert.Labels).Distinct(StringComparer.Ordinal).ToList();
        writer.SetReceivers(id, receivers);
        AddEvent(id, EventKinds.Routed, new { receivers });
        if (alert.Status == AlertStatus.Firing)
        {
            Opened(id, alert, isNew: true);
        }
    }

    /// <summary>An occurrence is firing: a new one, or a resolved one that fires again with the same startsAt.</summary>
    public void Opened(long id, Alert alert, bool isNew)
    {
        firing.Add(id, alert.Fingerprint, alert.Labels);

        if (InhibitionStage.FindInhibitor(alert.Labels, config.InhibitRules, firing.Sources.Where(s => s.OccurrenceId != id)) is { } inhibition)
        {
            Mute(id, inhibition);
        }

        if (InhibitionStage.IsSource(alert.Labels, config.InhibitRules))
        {
            var self = new InhibitionSource(id, alert.Fingerprint, alert.Labels);
            foreach (var target in firing.Unmuted.Where(t => t.OccurrenceId != id).ToList())
            {
                if (InhibitionStage.FindInhibitor(target.Labels, config.InhibitRules, [self]) is { } muting)
                {
                    Mute(target.OccurrenceId, muting);
                }
            }
        }

        if (!isNew)
        {
            writer.SetEscalationDue(id, nowMs, nowMs); // resume: the scheduler decides what is due
            return;
        }

        if (EscalationStage.SelectPolicy(alert.Labels, config.Escalations) is { } policy)
        {
            var nextDue = EscalationStage.NextDueAt(policy, alert.StartsAt, 0);
            writer.StartEscalation(id, policy.Name, UnixMillis.From(alert.StartsAt), nextDue is { } due ? UnixMillis.From(due) : null, nowMs);
        }
    }

    /// <summary>A firing occurrence resolved: its escalation stops and the targets it muted are released.</summary>
    public void Resolved(long id)
    {
        firing.Remove(id);
        writer.SetEscalationDue(id, null, nowMs);

        var muted = firing.MutedBy(id).ToList();
        if (muted.Count == 0)
        {
            return;
        }

        var release = InhibitionStage.Released(id, muted, config.InhibitRules, firing.Sources);
        foreach (var target in release.Freed)
        {
            firing.SetInhibitedBy(target.OccurrenceId, null);
            writer.SetInhibitedBy(target.OccurrenceId, null, nowMs);
            writer.SetEscalationDue(target.OccurrenceId, nowMs, nowMs); // muted alerts do not escalate; now they may
            AddEvent(target.OccurrenceId, EventKinds.Uninhibited, new { previousSource = id });
        }

        foreach (var moved in release.Reattributed)
        {
            Mute(moved.Target.OccurrenceId, moved.Inhibition);
        }
    }

    private void Mute(long targetId, InhibitionMatch inhibition)
    {
        firing.SetInhibitedBy(targetId, inhibition.Source.OccurrenceId);
        writer.SetInhibitedBy(targetId, inhibition.Source.OccurrenceId, nowMs);
        AddEvent(targetId, EventKinds.Inhibited, new
        {
            source = inhibition.Source.OccurrenceId,
            sourceFingerprint = inhibition.Source.Fingerprint.ToString(),
            rule = inhibition.Rule.Name,
        });
    }

    private void AddEvent(long id, string kind, object detail)
    {
        writer.AddEvent(id, kind, nowMs, detail);
        eventKinds.Add(kind);
    }
}

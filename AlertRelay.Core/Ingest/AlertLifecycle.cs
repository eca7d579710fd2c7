using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// What follows a stored change, inside the ingest transaction: routing of a new occurrence, inhibition
/// (muting a target, or releasing targets when their source resolves) and the start or stop of its
/// escalation ladder. Decisions come from the pure stages; this class writes them and their events.
/// </summary>
internal sealed class AlertLifecycle(
    AlertWriter writer, FiringIndex firing, RelayConfig config, long nowMs, List<string> eventKinds, int digestThreshold = int.MaxValue)
{
    private readonly List<(long OccurrenceId, NotificationTarget Target, NotificationKind Kind)> _notifications = [];

    /// <summary>Notifications written to the outbox so far.</summary>
    public int Queued { get; private set; }

    private RoutedReceivers? _lastRoute;

    /// <summary>
    /// The receivers the routing tree chooses for an alert (each once, in tree order), stored with the new occurrence.
    /// The alerts of a message usually share their receivers: their JSON forms are made once.
    /// </summary>
    public RoutedReceivers Route(Alert alert)
    {
        var names = RoutingStage.Receivers(config.Route, alert.Labels).Distinct(StringComparer.Ordinal).ToList();
        if (_lastRoute is null || !_lastRoute.Names.SequenceEqual(names, StringComparer.Ordinal))
        {
            _lastRoute = new RoutedReceivers(names,
                JsonSerializer.Serialize(names, HistoryJson.Options), JsonSerializer.Serialize(new { receivers = names }, HistoryJson.Options));
        }

        return _lastRoute;
    }

    /// <summary>A new occurrence was stored (firing or already resolved) with the receivers <see cref="Route"/> chose.</summary>
    public void Created(long id, Alert alert, RoutedReceivers receivers)
    {
        writer.AddEventJson(id, EventKinds.Routed, nowMs, receivers.RoutedEventJson);
        eventKinds.Add(EventKinds.Routed);
        if (alert.Status == AlertStatus.Firing)
        {
            Opened(id, alert, isNew: true, receivers.Names);
        }
    }

    private void QueueFiring(long id, LabelSet labels, IReadOnlyList<string>? receivers = null)
    {
        if (firing.InhibitedBy(id) is not null)
        {
            return; // muted: it is notified if and when its source resolves first
        }

        foreach (var receiver in receivers ?? RoutingStage.Receivers(config.Route, labels).Distinct(StringComparer.Ordinal).ToList())
        {
            foreach (var target in NotificationTarget.Of(config.FindReceiver(receiver)))
            {
                _notifications.Add((id, target, NotificationKind.Firing));
            }
        }
    }

    /// <summary>
    /// Writes the notifications this message caused to the outbox, in the same transaction. More than the digest
    /// threshold for one integration of one receiver become one digest (storm protection).
    /// </summary>
    public void Flush()
    {
        foreach (var group in _notifications.GroupBy(n => (n.Target, n.Kind)))
        {
            var ids = group.Select(n => n.OccurrenceId).Distinct().ToList();
            if (ids.Count > digestThreshold)
            {
                Outbox.Enqueue(writer.Connection, writer.Transaction, group.Key.Target, NotificationKind.Digest, ids,
                    $"{ids.Count} alerts {Outbox.KindText(group.Key.Kind)}", nowMs);
                Queued++;
                continue;
            }

            foreach (var id in ids)
            {
                Outbox.Enqueue(writer.Connection, writer.Transaction, group.Key.Target, group.Key.Kind, [id], null, nowMs);
                Queued++;
            }
        }

        _notifications.Clear();
    }

    /// <summary>An occurrence is firing: a new one, or a resolved one that fires again with the same startsAt.</summary>
    /// <param name="receivers">The receivers the alert was routed to, when already known.</param>
    public void Opened(long id, Alert alert, bool isNew, IReadOnlyList<string>? receivers = null)
    {
        if (!InhibitionStage.IsInvolved(alert.Labels, config.InhibitRules))
        {
            // No rule can mute it or let it mute anything: nothing more to decide, nothing to keep in memory.
            QueueFiring(id, alert.Labels, receivers);
            ResumeOrStartEscalation(id, alert, isNew);
            return;
        }

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

        QueueFiring(id, alert.Labels, receivers);
        ResumeOrStartEscalation(id, alert, isNew);
    }

    private void ResumeOrStartEscalation(long id, Alert alert, bool isNew)
    {
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
        foreach (var target in Outbox.NotifiedTargets(writer.Connection, writer.Transaction, id).Where(t => t.SendsResolved(config)))
        {
            _notifications.Add((id, target, NotificationKind.Resolved));
        }

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
            QueueFiring(target.OccurrenceId, target.Labels); // still firing, now unmuted: its receivers hear of it
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

/// <summary>The receivers a new occurrence was routed to, with the JSON stored for them (column and routed event).</summary>
internal sealed record RoutedReceivers(IReadOnlyList<string> Names, string Json, string RoutedEventJson);

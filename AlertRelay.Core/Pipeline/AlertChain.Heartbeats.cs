using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Pipeline;

/// <summary>Heartbeats in the chain: a message feeds them; a pass opens HeartbeatMissing when one goes quiet and resolves it when it is back.</summary>
public sealed partial class AlertChain
{
    private void SeenHeartbeats(Alert alert, ref HashSet<string>? seen)
    {
        foreach (var name in HeartbeatStage.Seen(config.Heartbeats, alert))
        {
            (seen ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
        }
    }

    /// <summary>
    /// One heartbeat pass in the writer's transaction: reads every heartbeat's state, decides (<see cref="HeartbeatStage.Decide"/>),
    /// plans the HeartbeatMissing alert that opens or resolves through <see cref="Plan"/> (stored, routed, escalated, notified like any
    /// alert) and stores the new state in the same transaction. A heartbeat no longer configured that was missing is resolved.
    /// <paramref name="reports"/> receives how each configured heartbeat stands.
    /// </summary>
    public IngestResult CheckHeartbeats(HeartbeatWatch watch, List<AlertPlan>? plans = null, List<HeartbeatReport>? reports = null)
    {
        var states = history.LoadHeartbeats();
        var judged = watch.Judge(config.Heartbeats, states, nowMs);
        reports?.AddRange(judged.Select(r => r.Decision.Verdict switch
        {
            HeartbeatVerdict.Missing => r with { State = r.State with { MissingStartsAtMs = nowMs } }, // as this pass leaves it
            HeartbeatVerdict.Back => r with { State = r.State with { MissingStartsAtMs = null } },
            _ => r,
        }));
        var notifications = new List<PlannedNotification>();
        int decided = 0, created = 0, changed = 0;
        foreach (var report in judged.Where(r => r.Decision.Verdict != HeartbeatVerdict.None))
        {
            decided++;
            var (name, state) = (report.Heartbeat.Name, report.State);
            var plan = report.Decision.Verdict == HeartbeatVerdict.Missing
                ? PlanHeartbeat(name, HeartbeatAlert.Missing(report.Heartbeat, state, nowMs, report.WatchingSinceMs))
                : PlanHeartbeatResolve(name, state.MissingStartsAtMs!.Value);
            (created, changed) = Count(plan, plans, notifications, created, changed);
            history.SaveHeartbeat(name, report.Decision.Verdict == HeartbeatVerdict.Missing ? nowMs : null, nowMs);
        }

        foreach (var state in HeartbeatStage.Unwatched(config.Heartbeats, states))
        {
            decided++;
            (created, changed) = Count(PlanHeartbeatResolve(state.Name, state.MissingStartsAtMs!.Value), plans, notifications, created, changed);
            history.SaveHeartbeat(state.Name, null, nowMs);
        }

        history.Persist(NotifyStage.Queue(notifications, digestThreshold), nowMs);
        return new IngestResult(decided, created, changed, decided - created - changed);
    }

    private AlertPlan? PlanHeartbeat(string name, Alert alert)
    {
        var context = HeartbeatAlert.Context(name);
        return Plan(alert, context, JsonSerializer.Serialize(new { context.Receiver, context.GroupKey }, HistoryJson.Options));
    }

    /// <summary>The open HeartbeatMissing resolved now, with the annotations it was stored with; null when it is gone (retention).</summary>
    private AlertPlan? PlanHeartbeatResolve(string name, long startsAtMs)
    {
        var fingerprint = Fingerprint.Of(HeartbeatAlert.Labels(name));
        return history.Find(fingerprint, startsAtMs) is { } stored
            ? PlanHeartbeat(name, HeartbeatAlert.Resolved(name, history.LoadAnnotations(stored.Id), startsAtMs, nowMs))
            : null;
    }

    private (int Created, int Changed) Count(AlertPlan? plan, List<AlertPlan>? plans, List<PlannedNotification> notifications, int created, int changed)
    {
        if (plan is null)
        {
            return (created, changed);
        }

        plans?.Add(plan);
        if (plan.IsEmpty)
        {
            return (created, changed);
        }

        history.Persist(plan);
        notifications.AddRange(plan.NotificationsOrEmpty);
        return plan.Insert is not null ? (created + 1, changed) : (created, changed + 1);
    }
}

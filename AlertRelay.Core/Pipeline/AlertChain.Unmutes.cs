using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;
using AlertRelay.Core.TimeIntervals;

namespace AlertRelay.Core.Pipeline;

/// <summary>Time interval mutes that end: a receiver held back while the occurrence opened is notified when its routes no longer mute it.</summary>
public sealed partial class AlertChain
{
    /// <summary>
    /// One unmute pass in the writer's transaction: reads every receiver waiting for its mute to end, decides at the batch's clock
    /// (<see cref="UnmuteStage.Decide"/>), queues the firing notification of each one unmuted (paging as any firing does) with an
    /// <c>unmuted</c> event, and deletes the rows that wait no longer. Returns how many rows it read and how many it notified
    /// (<see cref="IngestResult.Changed"/>); <paramref name="plans"/> receives a plan per occurrence it changed.
    /// </summary>
    public IngestResult NotifyUnmuted(List<AlertPlan>? plans = null)
    {
        var pending = history.LoadMutedReceivers();
        var now = UnixMillis.ToDateTimeOffset(nowMs);
        var notifications = new List<PlannedNotification>();
        var changed = 0;
        foreach (var occurrence in pending.GroupBy(p => p.OccurrenceId))
        {
            var plan = new AlertPlan(occurrence.First().ToAlert(), AlertChange.Unmuted, nowMs);
            foreach (var row in occurrence)
            {
                var reason = UnmuteStage.Decide(config, row, now);
                if (reason == UnmuteReason.StillMuted)
                {
                    continue;
                }

                plan.MutedReceivers.Add(MutedReceiverChange.Drop(row.OccurrenceId, row.Receiver));
                if (reason == UnmuteReason.Unmuted)
                {
                    Event(plan, row.OccurrenceId, EventKinds.Unmuted, new { row.Receiver, mutedSince = Format(row.SinceMs) });
                    var planned = NotifyStage.Firing(config, row.OccurrenceId, [row.Receiver], now).ToList();
                    Notify(plan, planned);
                    foreach (var paged in OncallPaging.Events(planned.Select(n => (n.Target, n.Page))))
                    {
                        Event(plan, row.OccurrenceId, EventKinds.Paged, paged);
                    }

                    changed++;
                }
            }

            if (plan.MutedReceiversOrEmpty.Count > 0)
            {
                plans?.Add(plan);
                history.Persist(plan);
                notifications.AddRange(plan.NotificationsOrEmpty);
            }
        }

        history.Persist(NotifyStage.Queue(notifications, digestThreshold), nowMs);
        return new IngestResult(pending.Count, 0, changed, 0);
    }
}

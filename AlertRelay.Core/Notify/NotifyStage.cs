using AlertRelay.Core.Configuration;
using AlertRelay.Core.Pipeline;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Decides who hears of an occurrence: the integrations of its receivers when it fires, those that were told it fired
/// (and send resolved notifications) when it resolves; and groups a message's notifications into digests. Pure.
/// </summary>
public static class NotifyStage
{
    /// <summary>Every integration of every receiver: each is told the occurrence fires.</summary>
    public static IEnumerable<PlannedNotification> Firing(RelayConfig config, long occurrenceId, IEnumerable<string> receivers) =>
        receivers.SelectMany(receiver => NotificationTarget.Of(config.FindReceiver(receiver)))
            .Select(target => new PlannedNotification(occurrenceId, target, NotificationKind.Firing));

    /// <summary>The integrations that were told the occurrence fires and send resolved notifications.</summary>
    public static IEnumerable<PlannedNotification> Resolved(RelayConfig config, long occurrenceId, IEnumerable<NotificationTarget> notified) =>
        notified.Where(target => target.SendsResolved(config))
            .Select(target => new PlannedNotification(occurrenceId, target, NotificationKind.Resolved));

    /// <summary>
    /// One message's notifications as outbox entries: one per occurrence, except that more than
    /// <paramref name="digestThreshold"/> for one integration and kind become one digest (storm protection).
    /// </summary>
    public static IReadOnlyList<QueuedNotification> Queue(IEnumerable<PlannedNotification> planned, int digestThreshold)
    {
        var queued = new List<QueuedNotification>();
        foreach (var group in planned.GroupBy(n => (n.Target, n.Kind)))
        {
            var ids = group.Select(n => n.OccurrenceId).Distinct().ToList();
            if (ids.Count > digestThreshold)
            {
                queued.Add(new QueuedNotification(group.Key.Target, NotificationKind.Digest, ids, Outbox.DigestDetail(ids.Count, group.Key.Kind)));
                continue;
            }

            queued.AddRange(ids.Select(id => new QueuedNotification(group.Key.Target, group.Key.Kind, [id], null)));
        }

        return queued;
    }
}

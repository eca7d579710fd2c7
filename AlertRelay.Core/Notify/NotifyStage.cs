using AlertRelay.Core.Configuration;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Decides who hears of an occurrence: the integrations of its receivers when it fires, those that were told it fired
/// (and send resolved notifications) when it resolves; and groups a message's notifications into digests. Pure.
/// </summary>
public static class NotifyStage
{
    /// <summary>
    /// Every integration of every receiver: each is told the occurrence fires. <c>oncall:&lt;schedule&gt;</c> pages whoever is on call at
    /// <paramref name="now"/> (<see cref="OncallPaging.Resolve"/>): its notifications carry the page.
    /// </summary>
    public static IEnumerable<PlannedNotification> Firing(RelayConfig config, long occurrenceId, IEnumerable<string> receivers, DateTimeOffset now) =>
        receivers.Select(receiver => OncallPaging.Resolve(config, receiver, now))
            .SelectMany(paged => paged.Targets.Select(target => new PlannedNotification(occurrenceId, target, NotificationKind.Firing, paged.Page)));

    /// <summary>The integrations that were told the occurrence fires and send resolved notifications.</summary>
    public static IEnumerable<PlannedNotification> Resolved(RelayConfig config, long occurrenceId, IEnumerable<NotificationTarget> notified) =>
        notified.Where(target => target.SendsResolved(config))
            .Select(target => new PlannedNotification(occurrenceId, target, NotificationKind.Resolved));

    /// <summary>
    /// One message's notifications as outbox entries: one per occurrence, except that more than
    /// <paramref name="digestThreshold"/> for one integration, kind and page become one digest (storm protection); pages stay apart.
    /// </summary>
    public static IReadOnlyList<QueuedNotification> Queue(IEnumerable<PlannedNotification> planned, int digestThreshold)
    {
        var queued = new List<QueuedNotification>();
        foreach (var group in planned.GroupBy(n => (n.Target, n.Kind, n.Page)))
        {
            var ids = group.Select(n => n.OccurrenceId).Distinct().ToList();
            if (ids.Count > digestThreshold)
            {
                queued.Add(new QueuedNotification(group.Key.Target, NotificationKind.Digest, ids, Outbox.DigestDetail(ids.Count, group.Key.Kind), group.Key.Page));
                continue;
            }

            queued.AddRange(ids.Select(id => new QueuedNotification(group.Key.Target, group.Key.Kind, [id], null, group.Key.Page)));
        }

        return queued;
    }
}

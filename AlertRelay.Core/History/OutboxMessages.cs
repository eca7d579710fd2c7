using System.Text.Json;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>Builds a claimed notification's message (its occurrences, the delivery it follows up, the external URL) on either engine.</summary>
internal static class OutboxMessages
{
    /// <summary>
    /// A notification <c>n</c> that announced a firing to its integration (SQL, both engines): a firing one, or an escalation step's page
    /// to the paged person's own receiver (their first message about it: a direct message a resolve updates, an email it threads under).
    /// </summary>
    public const string AnnouncedFiring = "(n.kind = 'firing' OR (n.kind = 'escalation' AND n.receiver = 'oncall:' || n.paged_schedule || '/' || n.paged_participant))";

    /// <summary>What a digest of firing alerts has in its detail (a LIKE pattern).</summary>
    public static string FiringDigest { get; } = "% " + Outbox.KindText(NotificationKind.Firing);

    /// <summary>The messages of <paramref name="notifications"/>, in their order: their occurrences read at once, the rest as <see cref="LoadAsync"/> reads it.</summary>
    public static async Task<IReadOnlyList<NotificationMessage>> LoadManyAsync(
        IReadOnlyList<ClaimedNotification> notifications, IOutboxMessageReader reader, CancellationToken cancellationToken)
    {
        var ids = notifications.Select(n => n.Id).Distinct().ToList();
        var prefetched = new PrefetchedReader(reader, ids, await reader.AlertsOfManyAsync(ids, cancellationToken));
        var messages = new List<NotificationMessage>(notifications.Count);
        foreach (var notification in notifications)
        {
            messages.Add(await LoadAsync(notification, prefetched, cancellationToken));
        }

        return messages;
    }

    public static async Task<NotificationMessage> LoadAsync(
        ClaimedNotification notification, IOutboxMessageReader reader, CancellationToken cancellationToken)
    {
        var alerts = await AlertsOfAsync(reader, notification.Id, cancellationToken);
        DeliveryRef? previous = null;
        IReadOnlyList<Announcement> announcements = [];
        var page = notification.Page;
        if (notification.Kind == NotificationKind.Resolved || (notification.Kind == NotificationKind.Digest && Outbox.DigestOf(notification.Detail) == NotificationKind.Resolved))
        {
            (announcements, var announcedPage) = await AnnouncementsAsync(reader, notification, alerts, cancellationToken);
            previous = announcements.FirstOrDefault()?.Delivery;
            page ??= announcedPage; // the resolve re-renders the message that paged: it still names who was paged
        }
        else if (notification.Kind is NotificationKind.Escalation or NotificationKind.Update or NotificationKind.Reminder && alerts.Count == 1)
        {
            // The message that announced the latest firing: after a re-open that is the new FIRING message, not the first.
            var (json, pagedSchedule, pagedParticipant) = await reader.LatestFiringDeliveryAsync(notification, alerts[0].Id, cancellationToken);
            previous = json is null ? null : JsonSerializer.Deserialize<DeliveryRef>(json, HistoryJson.Options);
            if (notification.Kind == NotificationKind.Update)
            {
                page ??= PageOf(pagedSchedule, pagedParticipant); // an update re-renders that message: it keeps its page line
            }
        }

        var externalUrl = alerts.Count == 0 ? "" : await reader.ExternalUrlAsync(alerts[0].Id, cancellationToken) ?? "";
        return new NotificationMessage(notification.Id, notification.Target.Receiver, notification.Kind, alerts, previous)
        {
            ExternalUrl = externalUrl,
            EscalationStep = notification.Detail,
            Announcements = announcements,
            Paged = page,
        };
    }

    /// <summary>
    /// The delivered messages of this integration that announced the latest firing of a resolve's alerts: for each alert the newest
    /// sent firing notification or digest of firing alerts before the resolve; grouped by message, oldest first.
    /// </summary>
    private static async Task<(IReadOnlyList<Announcement> Announcements, OncallPage? Page)> AnnouncementsAsync(
        IOutboxMessageReader reader, ClaimedNotification notification, IReadOnlyList<NotifiedOccurrence> alerts, CancellationToken cancellationToken)
    {
        var rows = (await reader.AnnouncingAsync(notification, cancellationToken)).AsList();
        var byId = alerts.ToDictionary(a => a.Id);
        var announcements = new List<Announcement>();
        foreach (var group in rows.GroupBy(r => r.NotificationId).OrderBy(g => g.Key))
        {
            var first = group.First();
            var kind = Outbox.ParseKind(first.Kind);
            var resolved = group.Select(r => byId[r.OccurrenceId]).OrderBy(a => a.StartsAt).ThenBy(a => a.Id).ToList();
            var announced = kind == NotificationKind.Digest ? await AlertsOfAsync(reader, group.Key, cancellationToken) : resolved;
            var delivery = JsonSerializer.Deserialize<DeliveryRef>(first.DeliveryRef, HistoryJson.Options)!;
            announcements.Add(new Announcement(group.Key, kind, delivery, announced, resolved));
        }

        // One message announced them all and it paged someone: the page stays on that message.
        var pages = rows.Select(r => PageOf(r.PagedSchedule, r.PagedParticipant)).Distinct().ToList();
        return (announcements, announcements.Count == 1 && pages is [{ } page] ? page : null);
    }

    /// <summary>Answers the occurrences of the notifications read at once (and their external URLs) from memory; asks the engine for the rest.</summary>
    private sealed class PrefetchedReader : IOutboxMessageReader
    {
        private readonly IOutboxMessageReader _reader;
        private readonly Dictionary<long, List<NotifiedOccurrenceRow>> _alerts;
        private readonly Dictionary<long, string?> _externalUrls = [];

        public PrefetchedReader(IOutboxMessageReader reader, IReadOnlyList<long> ids, IReadOnlyList<NotifiedOccurrenceRow> rows)
        {
            _reader = reader;
            _alerts = ids.ToDictionary(id => id, _ => new List<NotifiedOccurrenceRow>());
            foreach (var row in rows)
            {
                _alerts[row.NotificationId].Add(row);
                _externalUrls[row.Id] = row.ExternalUrl;
            }
        }

        public Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfAsync(long notificationId, CancellationToken cancellationToken) =>
            _alerts.TryGetValue(notificationId, out var rows)
                ? Task.FromResult<IReadOnlyList<NotifiedOccurrenceRow>>(rows)
                : _reader.AlertsOfAsync(notificationId, cancellationToken);

        public Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfManyAsync(IReadOnlyList<long> notificationIds, CancellationToken cancellationToken) =>
            _reader.AlertsOfManyAsync(notificationIds, cancellationToken);

        public Task<IEnumerable<(long OccurrenceId, long NotificationId, string Kind, string DeliveryRef, string? PagedSchedule, string? PagedParticipant)>> AnnouncingAsync(
            ClaimedNotification notification, CancellationToken cancellationToken) =>
            _reader.AnnouncingAsync(notification, cancellationToken);

        public Task<(string? DeliveryRef, string? PagedSchedule, string? PagedParticipant)> LatestFiringDeliveryAsync(
            ClaimedNotification notification, long occurrenceId, CancellationToken cancellationToken) =>
            _reader.LatestFiringDeliveryAsync(notification, occurrenceId, cancellationToken);

        public Task<string?> ExternalUrlAsync(long occurrenceId, CancellationToken cancellationToken) =>
            _externalUrls.TryGetValue(occurrenceId, out var url) ? Task.FromResult(url) : _reader.ExternalUrlAsync(occurrenceId, cancellationToken);
    }

    private static OncallPage? PageOf(string? schedule, string? participant) =>
        schedule is not null && participant is not null ? new OncallPage(schedule, participant) : null;

    private static async Task<IReadOnlyList<NotifiedOccurrence>> AlertsOfAsync(
        IOutboxMessageReader reader, long notificationId, CancellationToken cancellationToken) =>
        (await reader.AlertsOfAsync(notificationId, cancellationToken)).Select(r => r.ToOccurrence()).ToList();
}

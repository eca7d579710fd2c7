using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>Reading a claimed notification's message: its occurrences, the delivery it follows up, the external URL.</summary>
public sealed partial class PostgresOutboxStore
{
    public async Task<NotificationMessage> LoadMessageAsync(ClaimedNotification notification, CancellationToken cancellationToken)
    {
        var target = notification.Target;
        await using var connection = await database.OpenAsync(cancellationToken);
        var alerts = await AlertsOfAsync(connection, notification.Id, cancellationToken);
        DeliveryRef? previous = null;
        IReadOnlyList<Announcement> announcements = [];
        if (notification.Kind == NotificationKind.Resolved || (notification.Kind == NotificationKind.Digest && Outbox.DigestOf(notification.Detail) == NotificationKind.Resolved))
        {
            announcements = await AnnouncementsAsync(connection, notification, alerts, cancellationToken);
            previous = announcements.FirstOrDefault()?.Delivery;
        }
        else if (notification.Kind == NotificationKind.Escalation && alerts.Count == 1)
        {
            // The message that announced the latest firing: after a re-open that is the new FIRING message, not the first.
            var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                """
                SELECT n.delivery_ref FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
                WHERE a.occurrence_id = @OccurrenceId AND n.id < @Id AND n.kind = 'firing' AND n.status = 'sent'
                  AND n.receiver = @Receiver AND n.integration = @Integration AND n.integration_index = @Index
                ORDER BY n.id DESC LIMIT 1
                """,
                new { OccurrenceId = alerts[0].Id, notification.Id, target.Receiver, target.Integration, target.Index },
                cancellationToken: cancellationToken));
            previous = json is null ? null : JsonSerializer.Deserialize<DeliveryRef>(json, HistoryJson.Options);
        }

        var externalUrl = alerts.Count == 0
            ? ""
            : await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT external_url FROM alert_occurrences WHERE id = @Id", new { alerts[0].Id }, cancellationToken: cancellationToken)) ?? "";
        return new NotificationMessage(notification.Id, target.Receiver, notification.Kind, alerts, previous)
        {
            ExternalUrl = externalUrl,
            EscalationStep = notification.Detail,
            Announcements = announcements,
        };
    }

    /// <summary>
    /// The delivered messages of this integration that announced the latest firing of a resolve's alerts: for each alert the newest
    /// sent firing notification or digest of firing alerts before the resolve; grouped by message, oldest first.
    /// </summary>
    private static async Task<IReadOnlyList<Announcement>> AnnouncementsAsync(
        NpgsqlConnection connection, ClaimedNotification notification, IReadOnlyList<NotifiedOccurrence> alerts, CancellationToken cancellationToken)
    {
        var target = notification.Target;
        var rows = await connection.QueryAsync<(long OccurrenceId, long NotificationId, string Kind, string DeliveryRef)>(new CommandDefinition(
            """
            SELECT DISTINCT ON (mine.occurrence_id) mine.occurrence_id, n.id, n.kind, n.delivery_ref
            FROM notification_alerts mine
            JOIN notification_alerts a ON a.occurrence_id = mine.occurrence_id
            JOIN notifications n ON n.id = a.notification_id
            WHERE mine.notification_id = @Id AND n.id < @Id AND n.status = 'sent' AND n.delivery_ref IS NOT NULL
              AND n.receiver = @Receiver AND n.integration = @Integration AND n.integration_index = @Index
              AND (n.kind = 'firing' OR (n.kind = 'digest' AND n.detail LIKE @FiringDigest))
            ORDER BY mine.occurrence_id, n.id DESC
            """,
            new { notification.Id, target.Receiver, target.Integration, target.Index, FiringDigest = "% " + Outbox.KindText(NotificationKind.Firing) },
            cancellationToken: cancellationToken));

        var byId = alerts.ToDictionary(a => a.Id);
        var announcements = new List<Announcement>();
        foreach (var group in rows.GroupBy(r => r.NotificationId).OrderBy(g => g.Key))
        {
            var first = group.First();
            var kind = Outbox.ParseKind(first.Kind);
            var resolved = group.Select(r => byId[r.OccurrenceId]).OrderBy(a => a.StartsAt).ThenBy(a => a.Id).ToList();
            var announced = kind == NotificationKind.Digest ? await AlertsOfAsync(connection, group.Key, cancellationToken) : resolved;
            var delivery = JsonSerializer.Deserialize<DeliveryRef>(first.DeliveryRef, HistoryJson.Options)!;
            announcements.Add(new Announcement(group.Key, kind, delivery, announced, resolved));
        }

        return announcements;
    }

    /// <summary>Reads the occurrences a notification is about, as it shows them.</summary>
    private static async Task<IReadOnlyList<NotifiedOccurrence>> AlertsOfAsync(NpgsqlConnection connection, long notificationId, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<SnapshotRow>(
            new CommandDefinition(
                """
                SELECT o.id AS Id, o.fingerprint AS Fingerprint, o.status AS Status, o.labels::text AS Labels, o.annotations::text AS Annotations,
                       o.severity AS Severity, o.starts_at_ms AS StartsAtMs, o.ends_at_ms AS EndsAtMs, o.generator_url AS GeneratorUrl
                FROM notification_alerts a JOIN alert_occurrences o ON o.id = a.occurrence_id
                WHERE a.notification_id = @Id
                ORDER BY o.starts_at_ms, o.id
                """,
                new { Id = notificationId }, cancellationToken: cancellationToken));
        return rows.Select(r => new NotifiedOccurrence(
                r.Id, Fingerprint.FromInt64(r.Fingerprint), r.Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
                LabelSet.FromJson(r.Labels), LabelSet.FromJson(r.Annotations), r.Severity, UnixMillis.ToDateTimeOffset(r.StartsAtMs),
                r.EndsAtMs is { } ends ? UnixMillis.ToDateTimeOffset(ends) : null, r.GeneratorUrl))
            .ToList();
    }

    private sealed class SnapshotRow
    {
        public long Id { get; set; }

        public long Fingerprint { get; set; }

        public string Status { get; set; } = "";

        public string Labels { get; set; } = "{}";

        public string Annotations { get; set; } = "{}";

        public string Severity { get; set; } = "";

        public long StartsAtMs { get; set; }

        public long? EndsAtMs { get; set; }

        public string GeneratorUrl { get; set; } = "";
    }
}

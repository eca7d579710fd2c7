using AlertRelay.Core.Notify;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>Reading a claimed notification's message: its occurrences, the delivery it follows up, the external URL.</summary>
public sealed partial class SqliteOutboxStore
{
    public async Task<NotificationMessage> LoadMessageAsync(ClaimedNotification notification, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        return await OutboxMessages.LoadAsync(notification, new MessageReader(connection), cancellationToken);
    }

    public async Task<IReadOnlyList<NotificationMessage>> LoadMessagesAsync(IReadOnlyList<ClaimedNotification> notifications, CancellationToken cancellationToken)
    {
        if (notifications.Count == 0)
        {
            return [];
        }

        await using var connection = database.Open();
        return await OutboxMessages.LoadManyAsync(notifications, new MessageReader(connection), cancellationToken);
    }

    private sealed class MessageReader(SqliteConnection connection) : IOutboxMessageReader
    {
        public async Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfAsync(long notificationId, CancellationToken cancellationToken) =>
            (await connection.QueryAsync<NotifiedOccurrenceRow>(new CommandDefinition(
                $"""
                SELECT o.id AS Id, o.fingerprint AS Fingerprint, o.status AS Status, o.labels AS Labels, o.annotations AS Annotations,
                       o.severity AS Severity, o.starts_at_ms AS StartsAtMs, o.ends_at_ms AS EndsAtMs, o.generator_url AS GeneratorUrl,
                       {OncallStateRow.Columns}
                FROM notification_alerts a JOIN alert_occurrences o ON o.id = a.occurrence_id
                WHERE a.notification_id = @Id
                ORDER BY o.starts_at_ms, o.id
                """,
                new { Id = notificationId }, cancellationToken: cancellationToken))).AsList();

        public async Task<IReadOnlyList<NotifiedOccurrenceRow>> AlertsOfManyAsync(IReadOnlyList<long> notificationIds, CancellationToken cancellationToken) =>
            (await connection.QueryAsync<NotifiedOccurrenceRow>(new CommandDefinition(
                $"""
                SELECT a.notification_id AS NotificationId, o.external_url AS ExternalUrl,
                       o.id AS Id, o.fingerprint AS Fingerprint, o.status AS Status, o.labels AS Labels, o.annotations AS Annotations,
                       o.severity AS Severity, o.starts_at_ms AS StartsAtMs, o.ends_at_ms AS EndsAtMs, o.generator_url AS GeneratorUrl,
                       {OncallStateRow.Columns}
                FROM notification_alerts a JOIN alert_occurrences o ON o.id = a.occurrence_id
                WHERE a.notification_id IN @Ids
                ORDER BY a.notification_id, o.starts_at_ms, o.id
                """,
                new { Ids = notificationIds }, cancellationToken: cancellationToken))).AsList();

        public Task<IEnumerable<(long OccurrenceId, long NotificationId, string Kind, string DeliveryRef, string? PagedSchedule, string? PagedParticipant)>> AnnouncingAsync(
            ClaimedNotification notification, CancellationToken cancellationToken)
        {
            var target = notification.Target;
            return connection.QueryAsync<(long OccurrenceId, long NotificationId, string Kind, string DeliveryRef, string? PagedSchedule, string? PagedParticipant)>(new CommandDefinition(
                $"""
                SELECT mine.occurrence_id, max(n.id), n.kind, n.delivery_ref, n.paged_schedule, n.paged_participant
                FROM notification_alerts mine
                JOIN notification_alerts a ON a.occurrence_id = mine.occurrence_id
                JOIN notifications n ON n.id = a.notification_id
                WHERE mine.notification_id = @Id AND n.id < @Id AND n.status = 'sent' AND n.delivery_ref IS NOT NULL
                  AND n.receiver = @Receiver AND n.integration = @Integration AND n.integration_index = @Index
                  AND ({OutboxMessages.AnnouncedFiring} OR (n.kind = 'digest' AND n.detail LIKE @FiringDigest))
                GROUP BY mine.occurrence_id
                """,
                new { notification.Id, target.Receiver, target.Integration, target.Index, OutboxMessages.FiringDigest },
                cancellationToken: cancellationToken));
        }

        public Task<(string? DeliveryRef, string? PagedSchedule, string? PagedParticipant)> LatestFiringDeliveryAsync(ClaimedNotification notification, long occurrenceId, CancellationToken cancellationToken)
        {
            var target = notification.Target;
            return connection.QueryFirstOrDefaultAsync<(string?, string?, string?)>(new CommandDefinition(
                $"""
                SELECT n.delivery_ref, n.paged_schedule, n.paged_participant FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
                WHERE a.occurrence_id = @OccurrenceId AND n.id < @Id AND {OutboxMessages.AnnouncedFiring} AND n.status = 'sent'
                  AND n.receiver = @Receiver AND n.integration = @Integration AND n.integration_index = @Index
                ORDER BY n.id DESC LIMIT 1
                """,
                new { OccurrenceId = occurrenceId, notification.Id, target.Receiver, target.Integration, target.Index },
                cancellationToken: cancellationToken));
        }

        public Task<string?> ExternalUrlAsync(long occurrenceId, CancellationToken cancellationToken) =>
            connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT external_url FROM alert_occurrences WHERE id = @Id", new { Id = occurrenceId }, cancellationToken: cancellationToken));
    }
}

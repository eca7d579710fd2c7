using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>The outbox for the API: listing notifications and re-queuing dead letters.</summary>
public sealed partial class PostgresOutboxStore
{
    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string? status, int limit, long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>(new CommandDefinition(
            """
            SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex, n.kind AS Kind,
                   n.status AS Status, n.attempts AS Attempts, n.next_attempt_ms AS NextAttemptMs, n.last_error AS LastError,
                   n.created_at_ms AS CreatedAtMs, n.sent_at_ms AS SentAtMs,
                   ARRAY(SELECT occurrence_id FROM notification_alerts WHERE notification_id = n.id ORDER BY occurrence_id) AS Occurrences
            FROM notifications n
            WHERE (@Status::text IS NULL OR n.status = @Status::text) AND (@BeforeId::bigint IS NULL OR n.id < @BeforeId::bigint)
            ORDER BY n.id DESC
            LIMIT @Limit
            """,
            new { Status = status, BeforeId = beforeId, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new NotificationRecord(
                r.Id, r.Receiver, r.Integration, r.IntegrationIndex, r.Kind, r.Status, r.Attempts,
                r.Status == "pending" ? UnixMillis.ToDateTimeOffset(r.NextAttemptMs) : null, r.LastError,
                UnixMillis.ToDateTimeOffset(r.CreatedAtMs), r.SentAtMs is { } sent ? UnixMillis.ToDateTimeOffset(sent) : null,
                r.Occurrences))
            .ToList();
    }

    public async Task<RetryOutcome> RequeueAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var nowMs = UnixMillis.From(now);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_ms = @Now, claimed_until_ms = NULL, updated_at_ms = @Now
            WHERE id = @Id AND status = 'dead'
            """,
            new { Id = id, Now = nowMs }, cancellationToken: cancellationToken));
        if (updated == 1)
        {
            return RetryOutcome.Queued;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM notifications WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return status is null ? RetryOutcome.NotFound : RetryOutcome.NotDead;
    }

    private sealed class RecordRow
    {
        public long Id { get; set; }

        public string Receiver { get; set; } = "";

        public string Integration { get; set; } = "";

        public int IntegrationIndex { get; set; }

        public string Kind { get; set; } = "";

        public string Status { get; set; } = "";

        public int Attempts { get; set; }

        public long NextAttemptMs { get; set; }

        public string? LastError { get; set; }

        public long CreatedAtMs { get; set; }

        public long? SentAtMs { get; set; }

        public long[] Occurrences { get; set; } = [];
    }
}

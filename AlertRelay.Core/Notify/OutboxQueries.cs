using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using Dapper;

namespace AlertRelay.Core.Notify;

/// <summary>Reads the outbox for the API and puts dead letters back in the queue.</summary>
public sealed class OutboxQueries(HistoryDatabase database, OutboxSignal signal)
{
    public const int MaxLimit = 1000;

    /// <summary>Notifications newest first, optionally by status; <paramref name="beforeId"/> continues a listing.</summary>
    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string? status, int limit, long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex, n.kind AS Kind,
                   n.status AS Status, n.attempts AS Attempts, n.next_attempt_ms AS NextAttemptMs, n.last_error AS LastError,
                   n.created_at_ms AS CreatedAtMs, n.sent_at_ms AS SentAtMs,
                   (SELECT group_concat(occurrence_id) FROM notification_alerts WHERE notification_id = n.id) AS Occurrences
            FROM notifications n
            WHERE (@Status IS NULL OR n.status = @Status) AND (@BeforeId IS NULL OR n.id < @BeforeId)
            ORDER BY n.id DESC
            LIMIT @Limit
            """,
            new { Status = status, BeforeId = beforeId, Limit = Math.Clamp(limit, 1, MaxLimit) }, cancellationToken: cancellationToken));
        return rows.Select(r => new NotificationRecord(
                r.Id, r.Receiver, r.Integration, (int)r.IntegrationIndex, r.Kind, r.Status, (int)r.Attempts,
                r.Status == "pending" ? UnixMillis.ToDateTimeOffset(r.NextAttemptMs) : null, r.LastError,
                UnixMillis.ToDateTimeOffset(r.CreatedAtMs), r.SentAtMs is { } sent ? UnixMillis.ToDateTimeOffset(sent) : null,
                (r.Occurrences ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList()))
            .ToList();
    }

    /// <summary>Queues a dead notification again, with its attempts reset.</summary>
    public async Task<RetryOutcome> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var nowMs = UnixMillis.From(now);
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_ms = @Now, claimed_until_ms = NULL, updated_at_ms = @Now
            WHERE id = @Id AND status = 'dead'
            """,
            new { Id = id, Now = nowMs }, cancellationToken: cancellationToken));
        if (updated == 1)
        {
            signal.Notify();
            return RetryOutcome.Queued;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM notifications WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return status is null ? RetryOutcome.NotFound : RetryOutcome.NotDead;
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public string Receiver { get; set; } = "";

        public string Integration { get; set; } = "";

        public long IntegrationIndex { get; set; }

        public string Kind { get; set; } = "";

        public string Status { get; set; } = "";

        public long Attempts { get; set; }

        public long NextAttemptMs { get; set; }

        public string? LastError { get; set; }

        public long CreatedAtMs { get; set; }

        public long? SentAtMs { get; set; }

        public string? Occurrences { get; set; }
    }
}

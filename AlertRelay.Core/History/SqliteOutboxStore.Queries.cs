using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>The outbox for the API: listing notifications and re-queuing dead letters.</summary>
public sealed partial class SqliteOutboxStore
{
    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(string? status, int limit, long? beforeId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var rows = await connection.QueryAsync<RecordRow>(new CommandDefinition(
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
            new { Status = status, BeforeId = beforeId, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord((r.Occurrences ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToList())).ToList();
    }

    public async Task<RetryOutcome> RequeueAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
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
            return RetryOutcome.Queued;
        }

        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM notifications WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        return status is null ? RetryOutcome.NotFound : RetryOutcome.NotDead;
    }

    private sealed class RecordRow : NotificationRow
    {
        public string? Occurrences { get; set; }
    }
}

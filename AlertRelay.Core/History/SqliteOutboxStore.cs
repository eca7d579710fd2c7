using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>
/// The outbox on SQLite (the <c>notifications</c> and <c>notification_alerts</c> tables): leases with <c>claimed_until_ms</c>, so a
/// crash re-delivers when the lease ends without bookkeeping; records outcomes with their timeline events; lists and re-queues.
/// </summary>
public sealed partial class SqliteOutboxStore(HistoryDatabase database) : IOutboxStore
{
    public async Task<IReadOnlyList<ClaimedNotification>> ClaimAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(claim.Now);
        var parameters = new
        {
            Now = nowMs,
            claim.Batch,
            Held = JsonSerializer.Serialize(claim.HeldIds),
            FullTargets = JsonSerializer.Serialize(claim.FullTargets.Select(ClaimRow.TargetKey)),
        };
        const string Claimable =
            """
            n.status = 'pending' AND n.next_attempt_ms <= @Now AND (n.claimed_until_ms IS NULL OR n.claimed_until_ms <= @Now)
              AND n.id NOT IN (SELECT value FROM json_each(@Held))
              AND (n.receiver || char(31) || n.integration || char(31) || n.integration_index) NOT IN (SELECT value FROM json_each(@FullTargets))
            """;
        await using var connection = database.Open();

        // Look before taking the write lock: an idle poll must not make the ingest writer wait.
        var anyDue = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT 1 FROM notifications n WHERE {Claimable} LIMIT 1", parameters, cancellationToken: cancellationToken));
        if (anyDue is null)
        {
            return [];
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        var candidates = await connection.QueryAsync<ClaimRow>(new CommandDefinition(
            $"""
            SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex,
                   n.kind AS Kind, n.detail AS Detail, n.attempts AS Attempts, n.created_at_ms AS CreatedAtMs,
                   n.claimed_until_ms IS NOT NULL AS Reclaimed, n.paged_schedule AS PagedSchedule, n.paged_participant AS PagedParticipant
            FROM notifications n
            WHERE {Claimable}
              AND NOT ((n.kind IN ('resolved', 'update', 'reminder') OR (n.kind = 'digest' AND n.detail LIKE '% resolved')) AND (EXISTS (
                    SELECT 1 FROM notification_alerts na
                    JOIN notification_alerts fa ON fa.occurrence_id = na.occurrence_id AND fa.notification_id < na.notification_id
                    JOIN notifications f ON f.id = fa.notification_id
                    WHERE na.notification_id = n.id AND f.status = 'pending' AND f.receiver = n.receiver
                      AND f.integration = n.integration AND f.integration_index = n.integration_index)
                  -- Resolves that update the same digest message go one after the other, in order: each renders the digest as
                  -- it is when it is sent, and an older rendering must not land last.
                  OR EXISTS (
                    SELECT 1 FROM notification_alerts na
                    JOIN notification_alerts da ON da.occurrence_id = na.occurrence_id AND da.notification_id < na.notification_id
                    JOIN notifications d ON d.id = da.notification_id AND d.kind = 'digest' AND d.detail LIKE '% firing'
                      AND d.receiver = n.receiver AND d.integration = n.integration AND d.integration_index = n.integration_index
                    JOIN notification_alerts db ON db.notification_id = d.id
                    JOIN notification_alerts sa ON sa.occurrence_id = db.occurrence_id AND sa.notification_id > d.id AND sa.notification_id < n.id
                    JOIN notifications s ON s.id = sa.notification_id AND s.status = 'pending' AND s.receiver = n.receiver
                      AND s.integration = n.integration AND s.integration_index = n.integration_index
                    WHERE na.notification_id = n.id)))
            ORDER BY n.next_attempt_ms, n.id
            LIMIT @Batch
            """,
            parameters, transaction, cancellationToken: cancellationToken));
        var claimed = ClaimRow.Within(candidates, claim);
        if (claimed.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notifications SET claimed_until_ms = @Until, updated_at_ms = @Now WHERE id IN @Ids",
                new { Until = nowMs + (long)claim.Lease.TotalMilliseconds, Now = nowMs, Ids = claimed.Select(n => n.Id).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }

        transaction.Commit();
        return claimed;
    }

    public async Task<IReadOnlyList<long>> RenewAsync(IReadOnlyList<OutboxLease> leases, long untilMs, CancellationToken cancellationToken)
    {
        if (leases.Count == 0)
        {
            return [];
        }

        await using var connection = database.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var renewed = new List<long>();
        foreach (var lease in leases)
        {
            if (await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE notifications SET claimed_until_ms = @Until WHERE id = @Id AND claimed_until_ms = @Held AND status = 'pending'",
                    new { Until = untilMs, lease.Id, Held = lease.UntilMs }, transaction, cancellationToken: cancellationToken)) == 1)
            {
                renewed.Add(lease.Id);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return renewed;
    }

    public async Task<OutboxGauges> GaugesAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var stats = await connection.QuerySingleAsync<OutboxGaugeRow>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM notifications WHERE status = 'pending') AS Pending,
                   (SELECT min(created_at_ms) FROM notifications WHERE status = 'pending') AS OldestMs,
                   (SELECT count(*) FROM notifications WHERE status = 'dead') AS Dead
            """, cancellationToken: cancellationToken));
        return stats.ToGauges();
    }
}

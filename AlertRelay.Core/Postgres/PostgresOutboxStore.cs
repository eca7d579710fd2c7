using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The outbox on PostgreSQL, shared by every replica: due notifications are leased with <c>claimed_until_ms</c> under
/// <c>FOR NO KEY UPDATE SKIP LOCKED</c>, so dispatchers claiming at the same time take different rows and each notification is
/// delivered once; a dispatcher that dies mid-delivery leaves its lease to run out and another takes the notification again.
/// Records outcomes with their timeline events, lists and re-queues, as <c>History.SqliteOutboxStore</c> does.
/// </summary>
public sealed partial class PostgresOutboxStore(PostgresDatabase database) : IOutboxStore
{
    /// <summary>
    /// The ordering checks are written as nested, correlated lookups driven from the candidate's own alerts (its primary
    /// key, then the occurrence index, then each earlier notification by id) so that no plan can start from "every pending
    /// notification": with the flat joins this replaced, a young database (no statistics yet: autovacuum had not analysed
    /// the tables) got plans quadratic in the pending rows: 37 s for 6,400 notifications, past Npgsql's command timeout,
    /// which stalled the outbox in the replica test. Now 6-50 ms there, and the same with statistics.
    /// <c>SKIP LOCKED</c>: rows another replica is claiming right now are left to it, not waited for. A row whose claim committed
    /// meanwhile is checked again as it is now (its new lease no longer matches). FOR NO KEY UPDATE rather than FOR UPDATE:
    /// the claim changes no key, so it need not block the key-share locks of foreign-key checks.
    /// </summary>
    internal const string ClaimSql =
        """
        SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex,
               n.kind AS Kind, n.detail AS Detail, n.attempts AS Attempts, n.created_at_ms AS CreatedAtMs,
               n.claimed_until_ms IS NOT NULL AS Reclaimed, n.paged_schedule AS PagedSchedule, n.paged_participant AS PagedParticipant
        FROM notifications n
        WHERE n.status = 'pending' AND n.next_attempt_ms <= @Now AND (n.claimed_until_ms IS NULL OR n.claimed_until_ms <= @Now)
          AND n.id <> ALL(@Held)
          AND (n.receiver || chr(31) || n.integration || chr(31) || n.integration_index) <> ALL(@FullTargets)
          AND NOT ((n.kind IN ('resolved', 'update', 'reminder') OR (n.kind = 'digest' AND n.detail LIKE '% resolved')) AND (EXISTS (
                SELECT 1 FROM notification_alerts na
                WHERE na.notification_id = n.id AND EXISTS (
                  SELECT 1 FROM notification_alerts fa
                  WHERE fa.occurrence_id = na.occurrence_id AND fa.notification_id < na.notification_id
                    AND (SELECT f.status = 'pending' AND f.receiver = n.receiver AND f.integration = n.integration
                           AND f.integration_index = n.integration_index
                         FROM notifications f WHERE f.id = fa.notification_id)))
              -- Resolves that update the same digest message go one after the other, in order: each renders the digest as
              -- it is when it is sent, and an older rendering must not land last.
              OR EXISTS (
                SELECT 1 FROM notification_alerts na
                WHERE na.notification_id = n.id AND EXISTS (
                  SELECT 1 FROM notification_alerts da
                  WHERE da.occurrence_id = na.occurrence_id AND da.notification_id < na.notification_id
                    AND (SELECT d.kind = 'digest' AND d.detail LIKE '% firing' AND d.receiver = n.receiver
                           AND d.integration = n.integration AND d.integration_index = n.integration_index
                           AND EXISTS (
                             SELECT 1 FROM notification_alerts db
                             JOIN notification_alerts sa ON sa.occurrence_id = db.occurrence_id
                               AND sa.notification_id > d.id AND sa.notification_id < n.id
                             JOIN notifications s ON s.id = sa.notification_id AND s.status = 'pending' AND s.receiver = n.receiver
                               AND s.integration = n.integration AND s.integration_index = n.integration_index
                             WHERE db.notification_id = d.id)
                         FROM notifications d WHERE d.id = da.notification_id)))))
        ORDER BY n.next_attempt_ms, n.id
        LIMIT @Batch
        FOR NO KEY UPDATE OF n SKIP LOCKED
        """;

    public async Task<IReadOnlyList<ClaimedNotification>> ClaimAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(claim.Now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var candidates = await connection.QueryAsync<ClaimRow>(new CommandDefinition(
            ClaimSql,
            new
            {
                Now = nowMs,
                claim.Batch,
                Held = claim.HeldIds.ToArray(),
                FullTargets = claim.FullTargets.Select(ClaimRow.TargetKey).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        var claimed = ClaimRow.Within(candidates, claim);
        if (claimed.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notifications SET claimed_until_ms = @Until, updated_at_ms = @Now WHERE id = ANY(@Ids)",
                new { Until = nowMs + (long)claim.Lease.TotalMilliseconds, Now = nowMs, Ids = claimed.Select(n => n.Id).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return claimed;
    }

    public async Task<IReadOnlyList<long>> RenewAsync(IReadOnlyList<OutboxLease> leases, long untilMs, CancellationToken cancellationToken)
    {
        if (leases.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            """
            UPDATE notifications n SET claimed_until_ms = @Until
            FROM unnest(@Ids, @Held) AS l(id, held)
            WHERE n.id = l.id AND n.claimed_until_ms = l.held AND n.status = 'pending'
            RETURNING n.id
            """,
            new { Until = untilMs, Ids = leases.Select(l => l.Id).ToArray(), Held = leases.Select(l => l.UntilMs).ToArray() },
            cancellationToken: cancellationToken))).AsList();
    }

    public async Task<OutboxGauges> GaugesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stats = await connection.QuerySingleAsync<OutboxGaugeRow>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM notifications WHERE status = 'pending') AS Pending,
                   (SELECT min(created_at_ms) FROM notifications WHERE status = 'pending') AS OldestMs,
                   (SELECT count(*) FROM notifications WHERE status = 'dead') AS Dead
            """, cancellationToken: cancellationToken));
        return stats.ToGauges();
    }
}

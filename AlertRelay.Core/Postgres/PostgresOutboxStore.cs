using System.Globalization;
using AlertRelay.Core.Alerts;
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
    public async Task<IReadOnlyList<ClaimedNotification>> ClaimAsync(OutboxClaim claim, CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(claim.Now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // SKIP LOCKED: rows another replica is claiming right now are left to it, not waited for. A row whose claim committed
        // meanwhile is checked again as it is now (its new lease no longer matches). FOR NO KEY UPDATE rather than FOR UPDATE:
        // the claim changes no key, so it need not block the key-share locks of foreign-key checks.
        var candidates = await connection.QueryAsync<ClaimRow>(new CommandDefinition(
            """
            SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex,
                   n.kind AS Kind, n.detail AS Detail, n.attempts AS Attempts, n.created_at_ms AS CreatedAtMs,
                   n.claimed_until_ms IS NOT NULL AS Reclaimed
            FROM notifications n
            WHERE n.status = 'pending' AND n.next_attempt_ms <= @Now AND (n.claimed_until_ms IS NULL OR n.claimed_until_ms <= @Now)
              AND n.id <> ALL(@Held)
              AND (n.receiver || chr(31) || n.integration || chr(31) || n.integration_index) <> ALL(@FullTargets)
              AND NOT ((n.kind = 'resolved' OR (n.kind = 'digest' AND n.detail LIKE '% resolved')) AND (EXISTS (
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
            FOR NO KEY UPDATE OF n SKIP LOCKED
            """,
            new
            {
                Now = nowMs,
                claim.Batch,
                Held = claim.HeldIds.ToArray(),
                FullTargets = claim.FullTargets.Select(TargetKey).ToArray(),
            },
            transaction, cancellationToken: cancellationToken));
        var claimed = new List<ClaimedNotification>();
        var taken = new Dictionary<NotificationTarget, int>();
        foreach (var notification in candidates.Select(c => c.ToClaimed()))
        {
            var already = taken.GetValueOrDefault(notification.Target);
            if (already < claim.RoomFor(notification.Target))
            {
                claimed.Add(notification);
                taken[notification.Target] = already + 1;
            }
        }

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

    public async Task<OutboxGauges> GaugesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var stats = await connection.QuerySingleAsync<GaugeRow>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM notifications WHERE status = 'pending') AS Pending,
                   (SELECT min(created_at_ms) FROM notifications WHERE status = 'pending') AS OldestMs,
                   (SELECT count(*) FROM notifications WHERE status = 'dead') AS Dead
            """, cancellationToken: cancellationToken));
        return new OutboxGauges(stats.Pending, stats.Dead, stats.OldestMs is { } oldest ? UnixMillis.ToDateTimeOffset(oldest) : null);
    }

    /// <summary>The target as one string (receiver, integration, index; unit-separated), as the claim query builds it.</summary>
    private static string TargetKey(NotificationTarget target) =>
        $"{target.Receiver}\u001f{target.Integration}\u001f{target.Index.ToString(CultureInfo.InvariantCulture)}";

    private sealed class ClaimRow
    {
        public long Id { get; set; }

        public string Receiver { get; set; } = "";

        public string Integration { get; set; } = "";

        public int IntegrationIndex { get; set; }

        public string Kind { get; set; } = "";

        public string? Detail { get; set; }

        public int Attempts { get; set; }

        public long CreatedAtMs { get; set; }

        public bool Reclaimed { get; set; }

        public ClaimedNotification ToClaimed() => new(
            Id, new NotificationTarget(Receiver, Integration, IntegrationIndex), Outbox.ParseKind(Kind), Detail, Attempts,
            UnixMillis.ToDateTimeOffset(CreatedAtMs), Reclaimed);
    }

    private sealed class GaugeRow
    {
        public long Pending { get; set; }

        public long? OldestMs { get; set; }

        public long Dead { get; set; }
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Pipeline;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The receivers waiting for a time interval mute to end (table <c>muted_receivers</c>) in the ingest transaction on PostgreSQL.
/// Write transactions of every replica take turns on the ingest clock, so a pass reads what another replica's pass deleted: each
/// receiver is notified once in all.
/// </summary>
internal sealed partial class PostgresIngestTransaction
{
    public IReadOnlyList<PendingUnmute> LoadMutedReceivers() =>
        _connection.Query<(long OccurrenceId, string Receiver, long SinceMs, string Labels, long StartsAtMs, string Status, long? InhibitedBy,
                    string? AckedBy, long? AckExpiresAtMs, long? SilenceEndsAtMs)>(
                """
                SELECT m.occurrence_id, m.receiver, m.since_ms, coalesce(o.labels_exact, o.labels::text), o.starts_at_ms, o.status, o.inhibited_by,
                       o.acked_by, o.ack_expires_at_ms, CASE WHEN o.silence_id IS NOT NULL THEN o.silence_ends_at_ms END
                FROM muted_receivers m JOIN alert_occurrences o ON o.id = m.occurrence_id
                ORDER BY m.occurrence_id, m.receiver
                """, transaction: Sent())
            .Select(r => new PendingUnmute(r.OccurrenceId, r.Receiver, r.SinceMs, LabelSet.FromJson(r.Labels), r.StartsAtMs,
                r.Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved, r.InhibitedBy, r.AckedBy is not null, r.AckExpiresAtMs,
                r.SilenceEndsAtMs))
            .ToList();

    private void PersistMutedReceivers(AlertPlan plan)
    {
        foreach (var change in plan.MutedReceiversOrEmpty)
        {
            if (change.Pending)
            {
                // A receiver muted again (re-opened, released) keeps the time it was first held back.
                _pending.Add("INSERT INTO muted_receivers (occurrence_id, receiver, since_ms) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", null,
                    (change.OccurrenceId, Bigint), (change.Receiver, Text), (plan.NowMs, Bigint));
            }
            else if (change.Receiver is { } receiver)
            {
                _pending.Add("DELETE FROM muted_receivers WHERE occurrence_id = $1 AND receiver = $2", null, (change.OccurrenceId, Bigint), (receiver, Text));
            }
            else
            {
                _pending.Add("DELETE FROM muted_receivers WHERE occurrence_id = $1", null, (change.OccurrenceId, Bigint));
            }
        }
    }
}

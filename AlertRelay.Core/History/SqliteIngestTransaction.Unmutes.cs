using AlertRelay.Core.Alerts;
using AlertRelay.Core.Pipeline;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>The receivers waiting for a time interval mute to end (table <c>muted_receivers</c>) in the ingest transaction on SQLite.</summary>
internal sealed partial class SqliteIngestTransaction
{
    public IReadOnlyList<PendingUnmute> LoadMutedReceivers() =>
        _connection.Query<(long OccurrenceId, string Receiver, long SinceMs, string Labels, long StartsAtMs, string Status, long? InhibitedBy,
                    string? AckedBy, long? AckExpiresAtMs, long? SilenceEndsAtMs)>(
                """
                SELECT m.occurrence_id, m.receiver, m.since_ms, o.labels, o.starts_at_ms, o.status, o.inhibited_by,
                       o.acked_by, o.ack_expires_at_ms, CASE WHEN o.silence_id IS NOT NULL THEN o.silence_ends_at_ms END
                FROM muted_receivers m JOIN alert_occurrences o ON o.id = m.occurrence_id
                ORDER BY m.occurrence_id, m.receiver
                """, transaction: _transaction)
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
                _connection.Execute(
                    "INSERT INTO muted_receivers (occurrence_id, receiver, since_ms) VALUES (@Id, @Receiver, @Now) ON CONFLICT DO NOTHING",
                    new { Id = change.OccurrenceId, change.Receiver, Now = plan.NowMs }, _transaction);
            }
            else if (change.Receiver is { } receiver)
            {
                _connection.Execute("DELETE FROM muted_receivers WHERE occurrence_id = @Id AND receiver = @Receiver",
                    new { Id = change.OccurrenceId, Receiver = receiver }, _transaction);
            }
            else
            {
                _connection.Execute("DELETE FROM muted_receivers WHERE occurrence_id = @Id", new { Id = change.OccurrenceId }, _transaction);
            }
        }
    }
}

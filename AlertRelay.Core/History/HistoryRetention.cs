using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.History;

/// <summary>
/// Deletes history older than the retention period in bounded batches, one short transaction each, so ingest
/// keeps its turn at the write lock. Firing occurrences, and occurrences with a notification still pending or
/// dead (undelivered), are never deleted; neither are pending or dead notifications.
/// </summary>
/// <remarks>
/// Deleted occurrences are reported to the ingest writer's <see cref="IdentityIndex"/> (before each commit), which
/// must not go on deduplicating against them.
/// </remarks>
public sealed class HistoryRetention(
    HistoryDatabase database, TimeProvider time, IOptions<HistoryOptions> options, ILogger<HistoryRetention> logger, IdentityIndex? identities = null,
    HistoryMetrics? metrics = null)
    : IHistoryRetention
{
    private readonly HistoryMetrics _metrics = metrics ?? new HistoryMetrics(AlertRelayMeter.Unexported());

    /// <summary>One pass: deletes everything due, batch after batch. Returns (occurrences, notifications) deleted.</summary>
    public async Task<(long Occurrences, long Notifications)> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        long occurrences = 0, notifications = 0;
        if (RetentionPass.CutoffMs(settings, time) is { } cutoffMs)
        {
            occurrences = await DeleteInBatchesAsync(
                """
                DELETE FROM alert_occurrences WHERE id IN (
                    SELECT o.id FROM alert_occurrences o
                    WHERE o.status = 'resolved' AND o.ends_at_ms < @Cutoff
                      AND NOT EXISTS (SELECT 1 FROM notification_alerts na JOIN notifications n ON n.id = na.notification_id
                                      WHERE na.occurrence_id = o.id AND n.status IN ('pending', 'dead'))
                    LIMIT @Batch)
                RETURNING id, fingerprint
                """, cutoffMs, settings.BatchSize, cancellationToken,
                deleted => identities?.Forget(Fingerprint.FromInt64(deleted.Key), deleted.Id));
            notifications = await DeleteInBatchesAsync(
                """
                DELETE FROM notifications WHERE id IN (
                    SELECT id FROM notifications WHERE status = 'sent' AND created_at_ms < @Cutoff LIMIT @Batch)
                RETURNING id, 0 -- no key to report
                """, cutoffMs, settings.BatchSize, cancellationToken);
            RetentionPass.ReportDeleted(_metrics, logger, occurrences, notifications, settings.RetainDays);
        }

        await using var connection = database.Open();
        var oldest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(starts_at_ms) FROM alert_occurrences", cancellationToken: cancellationToken));
        RetentionPass.ReportOldest(_metrics, oldest);
        return (occurrences, notifications);
    }

    /// <summary>
    /// Runs a <c>DELETE ... RETURNING id, key</c> batch after batch; <paramref name="onDeleted"/> sees each deleted row
    /// inside its transaction, before the commit.
    /// </summary>
    private async Task<long> DeleteInBatchesAsync(
        string sql, long cutoffMs, int batchSize, CancellationToken cancellationToken, Action<(long Id, long Key)>? onDeleted = null)
    {
        long total = 0;
        while (true)
        {
            int deleted;
            await using (var connection = database.Open())
            await using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var rows = (await connection.QueryAsync<(long Id, long Key)>(new CommandDefinition(
                    sql, new { Cutoff = cutoffMs, Batch = batchSize }, transaction, cancellationToken: cancellationToken))).AsList();
                foreach (var row in rows)
                {
                    onDeleted?.Invoke(row);
                }

                deleted = rows.Count;
                transaction.Commit();
            }

            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }

            // Let ingest have the write lock and the CPU between batches: a backlog is purged slowly, ingest stays fast.
            if (options.Value.PauseMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.PauseMilliseconds), time, cancellationToken);
            }
        }
    }
}

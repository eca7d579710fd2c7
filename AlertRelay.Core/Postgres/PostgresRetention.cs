using System.Diagnostics;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// Deletes history older than the retention period on PostgreSQL, with the rules of <see cref="HistoryRetention"/>: resolved
/// occurrences (with their events) and sent notifications, never firing occurrences, nor occurrences with a notification still
/// pending or dead, nor pending or dead notifications; in bounded batches, one short transaction each. One replica at a time:
/// a pass holds <see cref="PostgresDatabase.RetentionLock"/> on its connection, and a pass that finds it taken does nothing.
/// </summary>
/// <remarks>
/// Deleted occurrences are reported to <see cref="IdentityIndex"/> when one is given (this replica's ingest writer), before each
/// commit, as on SQLite.
/// </remarks>
public sealed class PostgresRetention(
    PostgresDatabase database, TimeProvider time, IOptions<HistoryOptions> options, ILogger<PostgresRetention> logger, IdentityIndex? identities = null,
    HistoryMetrics? metrics = null)
    : IHistoryRetention
{
    private readonly HistoryMetrics _metrics = metrics ?? new HistoryMetrics(AlertRelayMeter.Unexported());

    /// <summary>
    /// One pass: deletes everything due, batch after batch. Returns (occurrences, notifications) deleted; (0, 0) at once when
    /// another replica's pass is running.
    /// </summary>
    public async Task<(long Occurrences, long Notifications)> RunOnceAsync(CancellationToken cancellationToken)
    {
        // The lock is the connection's (session-level): this connection runs the whole pass, and a lost connection releases it.
        await using var connection = await database.OpenAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@Key)", new { Key = PostgresDatabase.RetentionLock }, cancellationToken: cancellationToken)))
        {
            logger.LogDebug("Retention pass skipped: another replica is running one on {database}", database.Description);
            return (0, 0);
        }

        try
        {
            return await RunLockedAsync(connection, cancellationToken);
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_unlock(@Key)", new { Key = PostgresDatabase.RetentionLock }, cancellationToken: CancellationToken.None));
            }
        }
    }

    private async Task<(long Occurrences, long Notifications)> RunLockedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        long occurrences = 0, notifications = 0;
        if (settings.RetainDays > 0)
        {
            var cutoffMs = UnixMillis.From(time.GetUtcNow().AddDays(-settings.RetainDays));
            // FOR UPDATE SKIP LOCKED: rows an ingest transaction is changing (a re-open, a notification being queued for it) are
            // left to a later pass; the locked ones are checked again as they are now, so a row just re-opened is never deleted.
            occurrences = await DeleteInBatchesAsync(connection,
                """
                DELETE FROM alert_occurrences WHERE id IN (
                    SELECT o.id FROM alert_occurrences o
                    WHERE o.status = 'resolved' AND o.ends_at_ms < @Cutoff
                      AND NOT EXISTS (SELECT 1 FROM notification_alerts na JOIN notifications n ON n.id = na.notification_id
                                      WHERE na.occurrence_id = o.id AND n.status IN ('pending', 'dead'))
                    LIMIT @Batch
                    FOR UPDATE OF o SKIP LOCKED)
                RETURNING id, fingerprint
                """, cutoffMs, settings.BatchSize, cancellationToken,
                deleted => identities?.Forget(Fingerprint.FromInt64(deleted.Key), deleted.Id));
            notifications = await DeleteInBatchesAsync(connection,
                """
                DELETE FROM notifications WHERE id IN (
                    SELECT id FROM notifications WHERE status = 'sent' AND created_at_ms < @Cutoff LIMIT @Batch FOR UPDATE SKIP LOCKED)
                RETURNING id, 0::bigint -- no key to report
                """, cutoffMs, settings.BatchSize, cancellationToken);
            _metrics.RowsDeleted.Add(occurrences, new TagList { { "table", "alert_occurrences" } });
            _metrics.RowsDeleted.Add(notifications, new TagList { { "table", "notifications" } });
            if (occurrences + notifications > 0)
            {
                logger.LogInformation("Retention deleted {occurrences} occurrences (with their events) and {notifications} sent notifications older than {days} days",
                    occurrences, notifications, settings.RetainDays);
            }
        }

        var oldest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT min(starts_at_ms) FROM alert_occurrences", cancellationToken: cancellationToken));
        _metrics.OldestKept.Set(oldest is { } ms ? ms / 1000.0 : 0);
        return (occurrences, notifications);
    }

    /// <summary>
    /// Runs a <c>DELETE ... RETURNING id, key</c> batch after batch, each in its own transaction; <paramref name="onDeleted"/> sees
    /// each deleted row inside its transaction, before the commit.
    /// </summary>
    private async Task<long> DeleteInBatchesAsync(
        NpgsqlConnection connection, string sql, long cutoffMs, int batchSize, CancellationToken cancellationToken,
        Action<(long Id, long Key)>? onDeleted = null)
    {
        long total = 0;
        while (true)
        {
            int deleted;
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                var rows = (await connection.QueryAsync<(long Id, long Key)>(new CommandDefinition(
                    sql, new { Cutoff = cutoffMs, Batch = batchSize }, transaction, cancellationToken: cancellationToken))).AsList();
                foreach (var row in rows)
                {
                    onDeleted?.Invoke(row);
                }

                deleted = rows.Count;
                await transaction.CommitAsync(cancellationToken);
            }

            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }

            // Let ingest have the CPU and the disk between batches: a backlog is purged slowly, ingest stays fast.
            if (options.Value.PauseMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.PauseMilliseconds), time, cancellationToken);
            }
        }
    }
}

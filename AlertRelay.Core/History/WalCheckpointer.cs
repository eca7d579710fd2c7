using AlertRelay.Core.Ingest;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.History;

/// <summary>
/// Copies committed pages from the write-ahead log into the database file on its own connection and thread, so that
/// the single ingest writer spends its time on new alerts (a PASSIVE checkpoint neither waits for nor blocks it).
/// Runs every <see cref="IngestOptions.CheckpointIntervalMilliseconds"/>; 0 leaves checkpoints to the writer.
/// </summary>
public sealed class WalCheckpointer(HistoryDatabase database, TimeProvider time, IOptions<IngestOptions> options, ILogger<WalCheckpointer> logger)
{
    /// <summary>Runs until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.CheckpointIntervalMilliseconds;
        if (interval <= 0)
        {
            return;
        }

        SqliteConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(interval), time, cancellationToken);
                try
                {
                    connection ??= database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    // Harmless: the writer's own checkpoint backstop keeps the log bounded. Retry on a fresh connection.
                    logger.LogDebug(ex, "Background WAL checkpoint failed");
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }
}

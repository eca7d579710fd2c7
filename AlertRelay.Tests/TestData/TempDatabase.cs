using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.TestData;

/// <summary>A real SQLite history file in a fresh temporary directory, migrated, deleted on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase(int busyTimeoutSeconds = 5, string synchronous = "NORMAL")
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Directory, "history.db");
        Options = new DatabaseOptions { Path = Path, BusyTimeoutSeconds = busyTimeoutSeconds, Synchronous = synchronous };
        Database = new HistoryDatabase(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<HistoryDatabase>.Instance);
        Database.Migrate();
        Queries = new AlertQueries(Database);
    }

    public string Directory { get; }

    public string Path { get; }

    public DatabaseOptions Options { get; }

    public HistoryDatabase Database { get; }

    public AlertQueries Queries { get; }

    public IngestWriter CreateWriter(
        TimeProvider time, int maxRequestsPerCommit = 256, RelayConfig? config = null, IdentityIndex? identities = null, IngestMetrics? metrics = null,
        int reopenGraceSeconds = IngestOptions.DefaultReopenGraceSeconds)
    {
        var options = Microsoft.Extensions.Options.Options.Create(
            new IngestOptions { MaxRequestsPerCommit = maxRequestsPerCommit, ReopenGraceSeconds = reopenGraceSeconds });
        return new IngestWriter(new SqliteIngestStore(Database, options), new IngestState(identities ?? new IdentityIndex()),
            RelayConfigProvider.Fixed(config ?? RelayConfig.Default, time, NullLogger.Instance), Signal, time,
            options, Microsoft.Extensions.Options.Options.Create(NotifyOptions), NullLogger<IngestWriter>.Instance, metrics);
    }

    /// <summary>The outbox settings pipelines and dispatchers made here use (digest threshold, backoff...).</summary>
    public NotifyOptions NotifyOptions { get; } = new() { InitialBackoffSeconds = 1, DigestThreshold = 10 };

    /// <summary>The signal pipelines made here raise when they queue notifications.</summary>
    public OutboxSignal Signal { get; } = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp directory is cleaned by the OS.
        }
    }
}

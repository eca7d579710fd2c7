using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.History;

/// <summary>Opens connections to the SQLite history file (WAL mode) and brings its schema up to date.</summary>
public sealed class HistoryDatabase
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly int _busyTimeoutMs;
    private readonly ILogger<HistoryDatabase> _logger;

    public HistoryDatabase(IOptions<DatabaseOptions> options, ILogger<HistoryDatabase> logger)
    {
        var settings = options.Value;
        FilePath = System.IO.Path.GetFullPath(settings.Path);
        _synchronous = settings.Synchronous.ToUpperInvariant();
        _busyTimeoutMs = settings.BusyTimeoutSeconds * 1000;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = settings.BusyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens a connection with the per-connection settings applied.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // SQLite's own busy handler waits in steps of 1-100 ms for a lock held by another connection (the retention
        // worker, the dispatcher, a backup); without it Microsoft.Data.Sqlite retries BUSY after 150 ms sleeps.
        connection.Execute($"PRAGMA synchronous = {_synchronous}; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs};");
        return connection;
    }

    /// <summary>Creates the file and directory if needed, switches to WAL and applies pending migrations.</summary>
    public void Migrate()
    {
        var directory = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = Open();
        var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"could not switch {FilePath} to WAL mode (journal_mode is {journal})");
        }

        var current = connection.ExecuteScalar<int>("PRAGMA user_version;");
        var latest = Migrations.All[^1].Version;
        if (current > latest)
        {
            throw new InvalidOperationException(
                $"{FilePath} has schema version {current}, newer than this build knows ({latest}); refusing to run an older AlertRelay on it");
        }

        foreach (var migration in Migrations.All.Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            connection.Execute(migration.Sql, transaction: transaction);
            connection.Execute($"PRAGMA user_version = {migration.Version};", transaction: transaction);
            transaction.Commit();
            _logger.LogInformation("Applied schema migration {version} ({description}) to {path}", migration.Version, migration.Description, FilePath);
        }
    }

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Open();
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)) == 1;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}

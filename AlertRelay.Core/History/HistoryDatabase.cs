using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.History;

/// <summary>Opens connections to the SQLite history file (WAL mode), brings its schema up to date, and tells whether it can take writes.</summary>
public sealed class HistoryDatabase : IStoreHealth, IStoreSchema
{
    /// <summary>Less free space than this on the database's file system and the store counts as full: SQLite needs room to grow its WAL.</summary>
    public const long MinFreeBytes = 1024 * 1024;

    private const int W_OK = 2;
    private const int ENOENT = 2;

    private readonly string _connectionString;
    private readonly string _inboxConnectionString;
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
        InboxFilePath = InboxPathOf(FilePath);
        _inboxConnectionString = new SqliteConnectionStringBuilder(_connectionString) { DataSource = InboxFilePath }.ToString();
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The inbox file beside it (<c>alertrelay.db</c> → <c>alertrelay.inbox.db</c>): accepted webhook bodies wait there to be applied.
    /// A file of its own has a write lock of its own, so an append never waits for the ingest writer's transaction.
    /// </summary>
    public string InboxFilePath { get; }

    /// <summary>What the writer has applied of the inbox (<see cref="SqliteIngestTransaction"/> publishes it after each commit).</summary>
    public SqliteInboxMark InboxMark { get; } = new();

    public static string InboxPathOf(string databasePath) =>
        System.IO.Path.GetExtension(databasePath) is { Length: > 0 } extension
            ? System.IO.Path.ChangeExtension(databasePath, ".inbox" + extension)
            : databasePath + ".inbox";

    public string Description => FilePath;

    /// <summary>Opens a connection with the per-connection settings applied.</summary>
    public SqliteConnection Open()
    {
        var connection = OpenPooled();
        if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            // SQLite opens a file it cannot open for writing (read-only file system, immutable file, permissions) read-only.
            // Back in the pool, such a connection would fail every write after the file is writable again, until a restart:
            // empty the pool (connections in use are closed when returned) and open afresh, writable if the file is by now.
            SqliteConnection.ClearPool(connection);
            connection.Dispose();
            connection = OpenPooled();
        }

        return connection;
    }

    /// <summary>Opens a connection to the inbox file, with the same settings.</summary>
    public SqliteConnection OpenInbox() => OpenPooled(_inboxConnectionString);

    private SqliteConnection OpenPooled() => OpenPooled(_connectionString);

    private SqliteConnection OpenPooled(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
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
            throw new StoreStartupException(
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

        InboxMark.Set(connection.ExecuteScalar<long>("SELECT applied_through FROM inbox_progress"));
        CreateInbox();
    }

    /// <summary>The inbox file: one table, ids never reused (AUTOINCREMENT), so that "applied through id N" stays true across restarts.</summary>
    private void CreateInbox()
    {
        using var connection = OpenInbox();
        var journal = connection.ExecuteScalar<string>("PRAGMA journal_mode = WAL;");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"could not switch {InboxFilePath} to WAL mode (journal_mode is {journal})");
        }

        connection.Execute("""
            CREATE TABLE IF NOT EXISTS inbox (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,
                received_at_ms INTEGER NOT NULL,
                alerts         INTEGER NOT NULL,
                body           BLOB    NOT NULL
            );
            """);
        // The history's mark may be ahead of the file (deleted or restored from an older backup): ids continue past it.
        connection.Execute("""
            INSERT INTO sqlite_sequence (name, seq) SELECT 'inbox', @mark WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'inbox');
            UPDATE sqlite_sequence SET seq = @mark WHERE name = 'inbox' AND seq < @mark;
            """, new { mark = InboxMark.AppliedThrough });
    }

    /// <summary>
    /// Why the store cannot take a write now, or null when it can: the database does not answer, the file, its WAL or its
    /// directory cannot be written (read-only file system, immutable file, permissions), or its file system has less than
    /// <see cref="MinFreeBytes"/> free. Writes nothing, and opens no descriptor of its own on the files (closing one would drop
    /// SQLite's POSIX locks).
    /// </summary>
    public async Task<string?> WriteBlockerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Open();
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
        }
        catch (SqliteException ex)
        {
            return $"the database does not answer: {ex.Message}";
        }

        var directory = System.IO.Path.GetDirectoryName(FilePath)!;
        foreach (var path in new[] { FilePath, FilePath + "-wal", FilePath + "-shm", InboxFilePath, InboxFilePath + "-wal", InboxFilePath + "-shm", directory })
        {
            if (NotWritable(path) is { } why)
            {
                return $"{path} cannot be written: {why}";
            }
        }

        try
        {
            var free = new DriveInfo(directory).AvailableFreeSpace;
            return free < MinFreeBytes ? $"the file system of {FilePath} is full ({free} bytes free)" : null;
        }
        catch (IOException ex)
        {
            return $"the free space of the file system of {FilePath} is unknown: {ex.Message}";
        }
    }

    /// <summary>
    /// Why the kernel would refuse to write <paramref name="path"/> (read-only file system, immutable file even for root,
    /// permissions), asked with access(2); null when it would not, when the file does not exist, or off Unix.
    /// </summary>
    private static string? NotWritable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return Access(path, W_OK) != 0 && Marshal.GetLastPInvokeError() is var errno and not ENOENT
                ? Marshal.GetPInvokeErrorMessage(errno)
                : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // no C library to ask: the free-space check and the 503s of ingest still tell
        }
    }

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access(string path, int mode);
}

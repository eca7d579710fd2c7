using AlertRelay.Core.Ingest;
using AlertRelay.Core.Pipeline;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.History;

/// <summary>
/// The ingest store on SQLite: one writer connection with its prepared statements (<see cref="AlertWriter"/>), kept
/// across batches, each batch one transaction (<see cref="SqliteIngestTransaction"/>) and each message a savepoint.
/// </summary>
public sealed class SqliteIngestStore(HistoryDatabase database, IOptions<IngestOptions> options) : IIngestStore
{
    // Errors that concern the whole database rather than one message: they fail the whole group commit.
    private const int SQLITE_BUSY = 5;
    private const int SQLITE_READONLY = 8;
    private const int SQLITE_IOERR = 10;
    private const int SQLITE_CORRUPT = 11;
    private const int SQLITE_FULL = 13;
    private const int SQLITE_CANTOPEN = 14;
    private const int SQLITE_NOTADB = 26;

    private Session? _session;

    public IIngestTransaction Begin(bool write)
    {
        _session ??= new Session(OpenWriterConnection(), new Lazy<SqliteConnection>(database.OpenInbox));
        return new SqliteIngestTransaction(_session.Connection, _session.Writer, write, _session.Inbox, database.InboxMark);
    }

    public bool IsStoreFailure(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SQLITE_FULL or SQLITE_IOERR or SQLITE_BUSY or SQLITE_READONLY or SQLITE_CANTOPEN or SQLITE_CORRUPT or SQLITE_NOTADB };

    public void Reset()
    {
        _session?.Dispose();
        _session = null;
    }

    private SqliteConnection OpenWriterConnection()
    {
        var connection = database.Open();
        if (options.Value.CheckpointIntervalMilliseconds > 0)
        {
            // The WalCheckpointer copies the log in the background; the writer checkpoints itself only as a backstop.
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_autocheckpoint = {options.Value.CheckpointBackstopPages}";
            command.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>The writer's connection and its prepared statements, and a connection to read the inbox file.</summary>
    private sealed class Session(SqliteConnection connection, Lazy<SqliteConnection> inbox) : IDisposable
    {
        public SqliteConnection Connection { get; } = connection;

        public Lazy<SqliteConnection> Inbox { get; } = inbox;

        public AlertWriter Writer { get; } = new(connection);

        public void Dispose()
        {
            Writer.Dispose();
            Connection.Dispose();
            if (Inbox.IsValueCreated)
            {
                Inbox.Value.Dispose();
            }
        }
    }
}

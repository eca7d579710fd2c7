using AlertRelay.Core.Ingest;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// The inbox on SQLite: a file of its own (<see cref="HistoryDatabase.InboxFilePath"/>), so that appends take its write lock, never the
/// history's: an append does not wait for the writer's transaction, and the two run on two cores. One IMMEDIATE transaction per group
/// of requests; the same transaction deletes the rows the writer has applied since (<see cref="SqliteInboxMark"/>).
/// </summary>
public sealed class SqliteInboxStore(HistoryDatabase database, SqliteIngestStore ingestStore) : IInboxStore
{
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private long _deletedThrough = -1;

    public IReadOnlyList<long> Append(IReadOnlyList<InboxBody> bodies, long nowMs)
    {
        var connection = _connection ??= database.OpenInbox();
        using var transaction = connection.BeginTransaction(deferred: false);
        var applied = database.InboxMark.AppliedThrough;
        if (applied > _deletedThrough)
        {
            connection.Execute("DELETE FROM inbox WHERE id <= @applied", new { applied }, transaction);
        }

        var insert = Insert(connection);
        insert.Transaction = transaction;
        insert.Parameters["@now"].Value = nowMs;
        var ids = new long[bodies.Count];
        for (var i = 0; i < bodies.Count; i++)
        {
            insert.Parameters["@alerts"].Value = bodies[i].Alerts;
            insert.Parameters["@body"].Value = bodies[i].Bytes.ToArray();
            ids[i] = (long)insert.ExecuteScalar()!;
        }

        transaction.Commit();
        _deletedThrough = applied;
        return ids;
    }

    public InboxBacklog ReadBacklog()
    {
        using var connection = database.OpenInbox();
        var (rows, bytes, alerts) = connection.QuerySingle<(long, long, long)>(
            "SELECT count(*), coalesce(sum(length(body)), 0), coalesce(sum(alerts), 0) FROM inbox WHERE id > @applied",
            new { applied = database.InboxMark.AppliedThrough });
        return new InboxBacklog(rows, bytes, alerts);
    }

    public bool IsStoreFailure(Exception exception) => ingestStore.IsStoreFailure(exception);

    public void Reset()
    {
        _insert?.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
        _deletedThrough = -1;
    }

    private SqliteCommand Insert(SqliteConnection connection)
    {
        if (_insert is null)
        {
            _insert = connection.CreateCommand();
            _insert.CommandText = "INSERT INTO inbox (received_at_ms, alerts, body) VALUES (@now, @alerts, @body) RETURNING id";
            _insert.Parameters.Add("@now", SqliteType.Integer);
            _insert.Parameters.Add("@alerts", SqliteType.Integer);
            _insert.Parameters.Add("@body", SqliteType.Blob);
            _insert.Prepare();
        }

        return _insert;
    }
}

using AlertRelay.Core.Ingest;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// The inbox on SQLite: appends on a connection of their own (not the ingest writer's), one IMMEDIATE transaction per group of
/// requests, so that the append waits for the writer's commit at most, never for its planning.
/// </summary>
public sealed class SqliteInboxStore(HistoryDatabase database, SqliteIngestStore ingestStore) : IInboxStore
{
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

    public IReadOnlyList<long> Append(IReadOnlyList<InboxBody> bodies, long nowMs)
    {
        var connection = _connection ??= database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
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
        return ids;
    }

    public InboxBacklog ReadBacklog()
    {
        var connection = _connection ??= database.Open();
        var (rows, bytes, alerts) = connection.QuerySingle<(long, long, long)>(
            "SELECT count(*), coalesce(sum(length(body)), 0), coalesce(sum(alerts), 0) FROM inbox WHERE failed_at_ms IS NULL");
        return new InboxBacklog(rows, bytes, alerts);
    }

    public bool IsStoreFailure(Exception exception) => ingestStore.IsStoreFailure(exception);

    public void Reset()
    {
        _insert?.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
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

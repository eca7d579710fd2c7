using AlertRelay.Core.Ingest;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>The inbox on PostgreSQL: every replica appends its own requests, one transaction per group, on a pooled connection.</summary>
public sealed class PostgresInboxStore(PostgresDatabase database) : IInboxStore
{
    public IReadOnlyList<long> Append(IReadOnlyList<InboxBody> bodies, long nowMs)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        var received = new long[bodies.Count];
        Array.Fill(received, nowMs);
        using var command = new NpgsqlCommand(
            """
            INSERT INTO inbox (received_at_ms, alerts, body)
            SELECT r, a, d FROM unnest($1::bigint[], $2::integer[], $3::bytea[]) WITH ORDINALITY AS b(r, a, d, n) ORDER BY n
            RETURNING id
            """,
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = received, NpgsqlDbType = NpgsqlDbType.Bigint | NpgsqlDbType.Array });
        command.Parameters.Add(new NpgsqlParameter { Value = bodies.Select(b => b.Alerts).ToArray(), NpgsqlDbType = NpgsqlDbType.Integer | NpgsqlDbType.Array });
        command.Parameters.Add(new NpgsqlParameter { Value = bodies.Select(b => b.Bytes.ToArray()).ToArray(), NpgsqlDbType = NpgsqlDbType.Bytea | NpgsqlDbType.Array });
        var ids = new List<long>(bodies.Count);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        transaction.Commit();
        ids.Sort(); // one sequence, taken in order by one INSERT: the ids follow the bodies' order
        return ids;
    }

    public InboxBacklog ReadBacklog()
    {
        using var connection = database.Open();
        var (rows, bytes, alerts) = connection.QuerySingle<(long, long, long)>(
            "SELECT count(*), coalesce(sum(octet_length(body)), 0)::bigint, coalesce(sum(alerts), 0)::bigint FROM inbox WHERE failed_at_ms IS NULL");
        return new InboxBacklog(rows, bytes, alerts);
    }

    public bool IsStoreFailure(Exception exception) => PostgresDatabase.IsUnavailable(exception);

    public void Reset()
    {
    }
}

using AlertRelay.Core.Pipeline;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The ingest store on PostgreSQL. Every replica's ingest writer takes turns on the one-row <c>ingest_clock</c> (each write
/// transaction ticks it, which locks the row until the commit), so two replicas never plan against each other's uncommitted
/// alerts; the tick marks every occurrence the transaction writes (<c>change_seq</c>), and a writer that finds the clock moved by
/// someone else refreshes the fingerprints changed meanwhile before it plans. The unique identity and the insert's conflict check
/// stay the final word (<see cref="OccurrenceConflictException"/>). Occurrence ids come from the table's sequence, a block at a time.
/// </summary>
public sealed class PostgresIngestStore(PostgresDatabase database) : IIngestStore
{
    private const int IdBlock = 64;

    private readonly Queue<long> _ids = new();
    private NpgsqlConnection? _connection;

    /// <summary>The clock tick of this writer's last commit (null before the first, or after a failure: the state is filled afresh).</summary>
    internal long? SeenSeq { get; set; }

    public IIngestTransaction Begin(bool write)
    {
        _connection ??= database.Open();
        return new PostgresIngestTransaction(this, _connection, write);
    }

    public bool IsStoreFailure(Exception exception) => PostgresDatabase.IsUnavailable(exception) || exception is ObjectDisposedException;

    public void Reset()
    {
        _connection?.Dispose();
        _connection = null;
        SeenSeq = null;
    }

    /// <summary>The next occurrence id: from the sequence (unique across replicas, whatever becomes of the transaction).</summary>
    internal long NextId(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        if (_ids.Count == 0)
        {
            using var command = new NpgsqlCommand(
                "SELECT nextval(pg_get_serial_sequence('alert_occurrences', 'id')) FROM generate_series(1, $1)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = IdBlock });
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _ids.Enqueue(reader.GetInt64(0));
            }
        }

        return _ids.Dequeue();
    }
}

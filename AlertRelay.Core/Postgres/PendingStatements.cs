using AlertRelay.Core.Pipeline;
using Npgsql;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The ingest writes of one message, sent to PostgreSQL together (one round trip for the message, not one per statement) when
/// the message ends or something must be read. A statement that must change exactly one row carries the conflict it means
/// otherwise; sending checks them all and throws <see cref="OccurrenceConflictException"/> for the first that did not. The rows
/// of statements queued with <see cref="AddReturning"/> go to <paramref name="readRow"/> as they are sent, in statement order.
/// </summary>
internal sealed class PendingStatements(NpgsqlConnection connection, NpgsqlTransaction transaction, Action<NpgsqlDataReader>? readRow = null)
{
    private readonly NpgsqlBatch _batch = new(connection, transaction);
    private readonly List<string?> _conflicts = [];

    /// <summary>Statements waiting to be sent.</summary>
    public int Count => _conflicts.Count;

    /// <summary>Whether a statement waiting to be sent returns rows (until the next send).</summary>
    public bool ReturnsRows { get; private set; }

    /// <summary>Queues a statement whose RETURNING rows go to the reader given to the constructor when it is sent.</summary>
    public void AddReturning(string sql, string? conflictUnlessOneRow, params (object? Value, NpgsqlDbType Type)[] parameters)
    {
        ReturnsRows = true;
        Add(sql, conflictUnlessOneRow, parameters);
    }

    /// <summary>Queues a statement with positional parameters ($1, $2...) of the given types.</summary>
    public void Add(string sql, string? conflictUnlessOneRow, params (object? Value, NpgsqlDbType Type)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (value, type) in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = type });
        }

        _batch.BatchCommands.Add(command);
        _conflicts.Add(conflictUnlessOneRow);
    }

    /// <summary>The conflict of the first statement before <paramref name="failed"/> (all when null) that did not change one row.</summary>
    private string? FirstConflict(NpgsqlBatchCommand? failed)
    {
        for (var i = 0; i < _conflicts.Count && !ReferenceEquals(_batch.BatchCommands[i], failed); i++)
        {
            if (_conflicts[i] is { } conflict && _batch.BatchCommands[i].RecordsAffected != 1)
            {
                return conflict;
            }
        }

        return null;
    }

    /// <summary>Forgets the statements from <paramref name="index"/> on (a message taken back before they were sent).</summary>
    public void DropFrom(int index)
    {
        while (_conflicts.Count > index)
        {
            _batch.BatchCommands.RemoveAt(_conflicts.Count - 1);
            _conflicts.RemoveAt(_conflicts.Count - 1);
        }
    }

    /// <summary>Sends what is queued, then checks every statement that had to change one row.</summary>
    public void Send()
    {
        if (_conflicts.Count == 0)
        {
            return;
        }

        try
        {
            try
            {
                if (ReturnsRows)
                {
                    using var reader = _batch.ExecuteReader();
                    do
                    {
                        while (reader.Read())
                        {
                            readRow!(reader);
                        }
                    }
                    while (reader.NextResult());
                }
                else
                {
                    _batch.ExecuteNonQuery();
                }
            }
            catch (PostgresException ex) when (FirstConflict(ex.BatchCommand) is { } conflict)
            {
                // A statement failed because one before it changed nothing (the events of an occurrence that was not inserted):
                // the conflict is the cause.
                throw new OccurrenceConflictException(conflict);
            }

            if (FirstConflict(null) is { } unchanged)
            {
                throw new OccurrenceConflictException(unchanged);
            }
        }
        finally
        {
            _batch.BatchCommands.Clear();
            _conflicts.Clear();
            ReturnsRows = false;
        }
    }
}

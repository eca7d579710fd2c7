using AlertRelay.Core.History;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The hourly stats rollup in the ingest transaction on PostgreSQL: every occurrence row written is recorded in a
/// <see cref="StatsDelta"/> (an insert at once; a change when its statement is sent and returns the row before and after, into
/// the place kept for it in statement order), and the delta is upserted once with the commit's last writes.
/// </summary>
internal sealed partial class PostgresIngestTransaction
{
    private readonly StatsDelta _stats = new();
    private int _messageStats; // the rollup changes recorded before the current message

    /// <summary>
    /// A row returned by a changing statement: the delta's index, startsAt (never changed), then status, severity and endsAt before
    /// and after.
    /// </summary>
    private void ReadStatsRow(NpgsqlDataReader row)
    {
        var startsAtMs = row.GetInt64(1);
        _stats.Set(row.GetInt32(0),
            new StatsFacts(startsAtMs, row.GetString(2), row.GetString(3), row.IsDBNull(4) ? null : row.GetInt64(4)),
            new StatsFacts(startsAtMs, row.GetString(5), row.GetString(6), row.IsDBNull(7) ? null : row.GetInt64(7)));
    }
}

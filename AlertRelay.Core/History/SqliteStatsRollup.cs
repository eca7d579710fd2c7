using System.Text;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>Writes a transaction's <see cref="StatsDelta"/> to <c>alert_stats_hourly</c> on SQLite: one multi-row upsert.</summary>
internal static class SqliteStatsRollup
{
    /// <summary>Rows per statement: 5 parameters each, far below SQLite's 32,766; a batch rarely touches more than a few hours.</summary>
    private const int RowsPerStatement = 200;

    /// <summary>Adds the delta's net changes to the rollup inside <paramref name="transaction"/> (nothing when they net to nothing).</summary>
    public static void Apply(SqliteConnection connection, SqliteTransaction transaction, StatsDelta delta)
    {
        var buckets = delta.Buckets();
        for (var start = 0; start < buckets.Count; start += RowsPerStatement)
        {
            var rows = buckets.GetRange(start, Math.Min(RowsPerStatement, buckets.Count - start));
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var sql = new StringBuilder("INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum) VALUES ");
            for (var i = 0; i < rows.Count; i++)
            {
                sql.Append(i == 0 ? "" : ", ").Append($"($h{i}, $s{i}, $v{i}, $n{i}, $m{i})");
                command.Parameters.AddWithValue($"$h{i}", rows[i].Hour);
                command.Parameters.AddWithValue($"$s{i}", rows[i].Status);
                command.Parameters.AddWithValue($"$v{i}", rows[i].Severity);
                command.Parameters.AddWithValue($"$n{i}", rows[i].Occurrences);
                command.Parameters.AddWithValue($"$m{i}", rows[i].ResolveMsSum);
            }

            sql.Append("""

                ON CONFLICT (hour, status, severity) DO UPDATE
                SET occurrences = occurrences + excluded.occurrences, resolve_ms_sum = resolve_ms_sum + excluded.resolve_ms_sum
                """);
            command.CommandText = sql.ToString();
            command.ExecuteNonQuery();
        }
    }
}

using AlertRelay.Core.History;
using Npgsql;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>Writes a transaction's <see cref="StatsDelta"/> to <c>alert_stats_hourly</c> on PostgreSQL: one upsert of unnested arrays.</summary>
internal static class PostgresStatsRollup
{
    /// <summary>The upsert: $1..$5 are the buckets' hours, statuses, severities, occurrences and resolve milliseconds, as arrays.</summary>
    public const string Upsert = """
        INSERT INTO alert_stats_hourly AS s (hour, status, severity, occurrences, resolve_ms_sum)
        SELECT * FROM unnest($1, $2, $3, $4, $5)
        ON CONFLICT (hour, status, severity) DO UPDATE
        SET occurrences = s.occurrences + excluded.occurrences, resolve_ms_sum = s.resolve_ms_sum + excluded.resolve_ms_sum
        """;

    /// <summary>The parameters of <see cref="Upsert"/> for these buckets (keys unique: an upsert cannot change a row twice).</summary>
    public static (object? Value, NpgsqlDbType Type)[] Parameters(IReadOnlyList<StatsBucket> buckets) =>
    [
        (buckets.Select(b => b.Hour).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
        (buckets.Select(b => b.Status).ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array),
        (buckets.Select(b => b.Severity).ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array),
        (buckets.Select(b => b.Occurrences).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
        (buckets.Select(b => b.ResolveMsSum).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
    ];

    /// <summary>Adds the delta's net changes to the rollup inside <paramref name="transaction"/> (nothing when they net to nothing).</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, StatsDelta delta, CancellationToken cancellationToken)
    {
        var buckets = delta.Buckets();
        if (buckets.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(Upsert, connection, transaction);
        foreach (var (value, type) in Parameters(buckets))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

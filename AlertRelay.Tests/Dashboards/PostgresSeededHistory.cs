using AlertRelay.Tests.TestData;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// The history of <see cref="SeededHistory"/> in a real, migrated PostgreSQL database (<see cref="PostgresTestStore"/>): the
/// SQLite history is seeded as for the SQLite dashboard, then every row of its tables is copied as it is (same ids, the
/// same millisecond times, labels and annotations as <c>jsonb</c>), so both dashboards are checked against exactly the
/// same history. The <c>timestamptz</c> columns Grafana reads are PostgreSQL's generated ones.
/// </summary>
public sealed class PostgresSeededHistory : IAsyncLifetime
{
    /// <summary>In foreign-key order.</summary>
    private static readonly string[] Tables = ["alert_occurrences", "alert_events", "escalations", "notifications", "notification_alerts"];

    private readonly SeededHistory _sqlite = new();

    public PostgresTestStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _sqlite.InitializeAsync();
        Store = await PostgresTestStore.CreatePostgresAsync();
        await CopyAsync(_sqlite.Db.Path, Store.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await _sqlite.DisposeAsync();
    }

    /// <summary>Runs <paramref name="sql"/> (already expanded) on the seeded database.</summary>
    public QueryResult Query(string sql) => QueryDatabase(Store.ConnectionString, sql);

    /// <summary>Runs <paramref name="sql"/> in a read-only transaction, as a read-only Grafana role would: a panel never writes.</summary>
    public static QueryResult QueryDatabase(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            readOnly.ExecuteNonQuery();
        }

        using var command = new NpgsqlCommand(sql, connection, transaction);
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows);
    }

    private static async Task CopyAsync(string sqlitePath, string connectionString)
    {
        await using var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await source.OpenAsync();
        await using var target = new NpgsqlConnection(connectionString);
        await target.OpenAsync();
        await using var transaction = await target.BeginTransactionAsync();

        foreach (var table in Tables)
        {
            // PostgreSQL's writable columns (not the generated timestamptz ones) that the SQLite table also has.
            var columns = new List<(string Name, string Type)>();
            await using (var schema = new NpgsqlCommand(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = @table AND is_generated = 'NEVER' ORDER BY ordinal_position",
                target, transaction))
            {
                schema.Parameters.AddWithValue("table", table);
                await using var reader = await schema.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            var sqliteColumns = new HashSet<string>(StringComparer.Ordinal);
            await using (var info = source.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    sqliteColumns.Add(reader.GetString(0));
                }
            }

            columns = columns.Where(c => sqliteColumns.Contains(c.Name)).ToList();
            Assert.NotEmpty(columns);

            await using var select = source.CreateCommand();
            select.CommandText = $"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {table} ORDER BY 1";
            await using var rows = await select.ExecuteReaderAsync();
            var insert = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((c, i) => $"@p{i}::{c.Type}"))})";
            while (await rows.ReadAsync())
            {
                await using var command = new NpgsqlCommand(insert, target, transaction);
                for (var i = 0; i < columns.Count; i++)
                {
                    command.Parameters.AddWithValue($"p{i}", rows.IsDBNull(i) ? DBNull.Value : rows.GetValue(i));
                }

                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }
}

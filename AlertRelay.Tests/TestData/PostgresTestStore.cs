using System.Data.Common;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlertRelay.Tests.TestData;

/// <summary>
/// The history in a database of its own on the test run's PostgreSQL cluster (<see cref="PostgresCluster.Shared"/>), copied from a
/// migrated template (a file copy: much faster than migrating each), dropped on dispose.
/// </summary>
public sealed partial class PostgresTestStore : TestStore
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;
    private readonly PostgresCluster _cluster;
    private readonly string _name;

    private PostgresTestStore(PostgresCluster cluster, string name)
    {
        _cluster = cluster;
        _name = name;
        ConnectionString = cluster.ConnectionString(name);
        Database = new PostgresDatabase(ConnectionString, 20, 5, NullLogger<PostgresDatabase>.Instance);
    }

    public PostgresDatabase Database { get; }

    public string ConnectionString { get; }

    public PostgresCluster Cluster => _cluster;

    public override string Engine => DatabaseOptions.Postgres;

    public override IStoreHealth Health => Database;

    /// <summary>A fresh, migrated database.</summary>
    public static async Task<TestStore> CreateAsync() => await CreatePostgresAsync();

    public static async Task<PostgresTestStore> CreatePostgresAsync()
    {
        var cluster = await PostgresCluster.Shared;
        var template = await TemplateAsync(cluster);
        var name = $"t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(cluster.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"", admin);
            await command.ExecuteNonQueryAsync();
        }

        return new PostgresTestStore(cluster, name);
    }

    private static async Task<string> TemplateAsync(PostgresCluster cluster)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (_template is null)
            {
                const string name = "alertrelay_template";
                await using (var admin = new NpgsqlConnection(cluster.ConnectionString()))
                {
                    await admin.OpenAsync();
                    await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name}", admin))
                    {
                        await drop.ExecuteNonQueryAsync();
                    }

                    await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
                    await create.ExecuteNonQueryAsync();
                }

                using (var database = new PostgresDatabase(cluster.ConnectionString(name), 4, 5, NullLogger<PostgresDatabase>.Instance))
                {
                    database.Migrate();
                }

                NpgsqlConnection.ClearAllPools(); // a template must have no connections when it is copied
                _template = name;
            }

            return _template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    public override DbConnection Open() => Database.Open();

    public override IIngestStore CreateIngestStore(IOptions<IngestOptions> options) => new PostgresIngestStore(Database);

    public override async Task<long> InboxWaitingAsync()
    {
        await using var connection = Database.Open();
        return await Dapper.SqlMapper.QuerySingleAsync<long>(connection, "SELECT count(*) FROM inbox WHERE failed_at_ms IS NULL");
    }

    public override IInboxStore CreateInboxStore(IOptions<IngestOptions> options) => new PostgresInboxStore(Database);

    public override async ValueTask DisposeAsync()
    {
        Database.Dispose();
        await using var admin = new NpgsqlConnection(_cluster.ConnectionString());
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", admin);
        await command.ExecuteNonQueryAsync();
    }
}

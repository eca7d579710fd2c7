using AlertRelay.Core.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlertRelay.Tests.TestData;

/// <summary>Two relay replicas on one fresh PostgreSQL test database, each with its own data source (pool), as two relays have.</summary>
public sealed class PostgresReplicas : IAsyncDisposable
{
    private PostgresReplicas(PostgresTestStore store)
    {
        Store = store;
        A = new PostgresDatabase(store.ConnectionString, 4, 5, NullLogger<PostgresDatabase>.Instance);
        B = new PostgresDatabase(store.ConnectionString, 4, 5, NullLogger<PostgresDatabase>.Instance);
    }

    public PostgresTestStore Store { get; }

    public PostgresDatabase A { get; }

    public PostgresDatabase B { get; }

    public static async Task<PostgresReplicas> CreateAsync() => new(await PostgresTestStore.CreatePostgresAsync());

    public async ValueTask DisposeAsync()
    {
        A.Dispose();
        B.Dispose();
        await Store.DisposeAsync();
    }
}

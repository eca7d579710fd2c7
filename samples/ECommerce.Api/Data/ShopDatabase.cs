using ECommerce.Api.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ECommerce.Api.Data;

/// <summary>
/// The shop's SQLite database behind one connection that one caller uses at a time: the same code serves a
/// shared in-memory database (<c>Data Source=:memory:</c>) and a file, and an order's stock check and stock
/// update can never interleave with another order's.
/// </summary>
public sealed class ShopDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ShopDatabase(IOptions<ECommerceOptions> options, IHostEnvironment environment)
    {
        var builder = new SqliteConnectionStringBuilder(options.Value.ConnectionString);
        IsInMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is ":memory:" or "";
        if (!IsInMemory)
        {
            // A relative file is relative to the content root, not to wherever the process was started from.
            builder.DataSource = Path.GetFullPath(builder.DataSource, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        Description = IsInMemory ? "in memory" : builder.DataSource;
        _connection = new SqliteConnection(builder.ToString());
        _connection.Open();
        Execute(IsInMemory ? "PRAGMA foreign_keys = ON;" : "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
    }

    /// <summary>Whether the data lives only as long as the process.</summary>
    public bool IsInMemory { get; }

    /// <summary>The file path, or "in memory", for logs.</summary>
    public string Description { get; }

    /// <summary>Runs <paramref name="work"/> with the connection, waiting for whoever has it first.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return work(_connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> with the connection, blocking: for start-up, before any request.</summary>
    public T Run<T>(Func<SqliteConnection, T> work)
    {
        _gate.Wait();
        try
        {
            return work(_connection);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Creates the tables if missing (at start-up, before any request).</summary>
    public void Migrate() => Execute(ShopSchema.CreateTables);

    private void Execute(string sql) => Run(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    });

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}

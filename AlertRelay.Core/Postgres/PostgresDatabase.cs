using AlertRelay.Core.History;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The PostgreSQL history: a pooled data source, the schema brought up to date under an advisory lock (replicas starting
/// together take turns; a replica older than the schema refuses it), and whether it can take writes.
/// </summary>
public sealed class PostgresDatabase : IStoreHealth, IStoreSchema, IDisposable
{
    /// <summary>Advisory lock keys: one per job that must run on one replica at a time.</summary>
    public const long MigrationLock = 0x41_52_4D_49_47_52_41_54; // "ARMIGRAT"

    public const long RetentionLock = 0x41_52_52_45_54_45_4E_54; // "ARRETENT"

    private readonly ILogger<PostgresDatabase> _logger;

    public PostgresDatabase(IOptions<DatabaseOptions> options, ILogger<PostgresDatabase> logger)
        : this(options.Value.PostgresConnectionString(), options.Value.MaxPoolSize, options.Value.BusyTimeoutSeconds, logger)
    {
    }

    public PostgresDatabase(string connectionString, int maxPoolSize, int lockTimeoutSeconds, ILogger<PostgresDatabase> logger)
    {
        _logger = logger;
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new StoreStartupException($"AlertRelay:Database:ConnectionString is not a valid PostgreSQL connection string: {ex.Message}");
        }

        settings.MaxPoolSize = maxPoolSize;
        settings.MaxAutoPrepare = 64; // the ingest and outbox statements are prepared once per connection
        settings.AutoPrepareMinUsages = 2;
        settings.Timeout = settings.Timeout is 15 ? 5 : settings.Timeout; // connect: fail fast (Alertmanager retries a 503)
        settings.ApplicationName ??= "alertrelay";
        settings.Options = $"{settings.Options} -c lock_timeout={lockTimeoutSeconds * 1000}".Trim();
        Description = $"postgres://{settings.Username}@{settings.Host}:{settings.Port}/{settings.Database}";
        DataSource = NpgsqlDataSource.Create(settings.ConnectionString);
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>Where the database is, without the password (for logs).</summary>
    public string Description { get; }

    public NpgsqlConnection Open() => DataSource.OpenConnection();

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) => DataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>
    /// Applies pending migrations, each in its own transaction (PostgreSQL's DDL is transactional: a failed one leaves the schema
    /// as it was), holding <see cref="MigrationLock"/> so that replicas starting together never race.
    /// </summary>
    public void Migrate() => Migrate(PostgresMigrations.All);

    /// <summary>As <see cref="Migrate()"/>, with another list of migrations (tests: one that fails).</summary>
    internal void Migrate(IReadOnlyList<Migration> migrations)
    {
        NpgsqlConnection connection;
        try
        {
            connection = Open();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new StoreStartupException($"AlertRelay:Database:ConnectionString: cannot connect to {Description}: {ex.Message}");
        }

        using (connection)
        {
            connection.Execute("SELECT pg_advisory_lock(@Key)", new { Key = MigrationLock });
            try
            {
                connection.Execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version     integer PRIMARY KEY,
                        description text NOT NULL,
                        applied_at  timestamptz NOT NULL DEFAULT now()
                    )
                    """);
                var current = connection.ExecuteScalar<int?>("SELECT max(version) FROM schema_migrations") ?? 0;
                var latest = migrations[^1].Version;
                if (current > latest)
                {
                    throw new StoreStartupException(
                        $"{Description} has schema version {current}, newer than this build knows ({latest}); refusing to run an older AlertRelay on it");
                }

                foreach (var migration in migrations.Where(m => m.Version > current))
                {
                    using var transaction = connection.BeginTransaction();
                    connection.Execute(migration.Sql, transaction: transaction);
                    connection.Execute("INSERT INTO schema_migrations (version, description) VALUES (@Version, @Description)",
                        new { migration.Version, migration.Description }, transaction);
                    transaction.Commit();
                    _logger.LogInformation("Applied schema migration {version} ({description}) to {database}", migration.Version, migration.Description, Description);
                }
            }
            finally
            {
                connection.Execute("SELECT pg_advisory_unlock(@Key)", new { Key = MigrationLock });
            }
        }
    }

    /// <summary>The schema version applied (0 before the first migration).</summary>
    public int SchemaVersion()
    {
        using var connection = Open();
        return connection.ExecuteScalar<int?>("SELECT max(version) FROM schema_migrations") ?? 0;
    }

    /// <summary>Why a write cannot commit now: PostgreSQL does not answer, or it is a read-only standby; null when it can.</summary>
    public async Task<string?> WriteBlockerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var readOnly = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SHOW transaction_read_only", cancellationToken: cancellationToken));
            return readOnly == "on" ? $"{Description} is read-only (a standby, or default_transaction_read_only)" : null;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"{Description} does not answer: {ex.Message}";
        }
    }

    /// <summary>Whether an error is PostgreSQL (or the way to it) failing, rather than one statement's data.</summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources (disk full, too many connections)
            || pg.SqlState.StartsWith("57", StringComparison.Ordinal) // operator intervention (shutdown, admin terminated)
            || pg.SqlState is "25006" // read-only transaction (a standby)
            || pg.SqlState is "55P03" // lock not available (lock_timeout)
            || pg.SqlState is "40001" or "40P01", // serialization failure, deadlock: retry the whole batch
        NpgsqlException => true, // I/O, timeout, broken connection
        TimeoutException => true,
        _ => false,
    };

    public void Dispose() => DataSource.Dispose();
}

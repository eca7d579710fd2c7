namespace AlertRelay.Core.History;

/// <summary>Settings of the history store, bound to <c>AlertRelay:Database</c>: SQLite (the embedded default) or PostgreSQL.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "AlertRelay:Database";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (default: one process, one file) or <c>postgres</c> (one or several replicas on one PostgreSQL).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>SQLite: the database file; relative paths are resolved against the working directory.</summary>
    public string Path { get; set; } = "data/alertrelay.db";

    /// <summary>PostgreSQL: an Npgsql connection string (<c>Host=...;Database=...;Username=...;Password=...</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>PostgreSQL: a file holding the connection string (a mounted secret); used when <see cref="ConnectionString"/> is not set.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>PostgreSQL: the most connections one replica opens (ingest 1, dispatcher, escalation, retention, API reads).</summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public int BusyTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// SQLite's synchronous setting. FULL (default) fsyncs the WAL on every commit, so a 2xx survives
    /// power loss; NORMAL survives a crash of the process but not of the machine.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Validate()
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
        {
            yield return $"AlertRelay:Database:Provider must be \"sqlite\" or \"postgres\", not \"{Provider}\"";
        }

        if (IsPostgres)
        {
            if (string.IsNullOrWhiteSpace(ConnectionString) && string.IsNullOrWhiteSpace(ConnectionStringFile))
            {
                yield return "AlertRelay:Database:ConnectionString (or ConnectionStringFile) must be set when AlertRelay:Database:Provider is \"postgres\"";
            }
            else if (string.IsNullOrWhiteSpace(ConnectionString) && !File.Exists(ConnectionStringFile))
            {
                yield return $"AlertRelay:Database:ConnectionStringFile names a file that does not exist: {ConnectionStringFile}";
            }

            if (MaxPoolSize is < 4 or > 1000)
            {
                yield return $"AlertRelay:Database:MaxPoolSize must be between 4 and 1000, not {MaxPoolSize}";
            }
        }
        else if (string.IsNullOrWhiteSpace(Path))
        {
            yield return "AlertRelay:Database:Path must name a file";
        }

        if (BusyTimeoutSeconds is < 0 or > 600)
        {
            yield return $"AlertRelay:Database:BusyTimeoutSeconds must be between 0 and 600, not {BusyTimeoutSeconds}";
        }

        if (Synchronous.ToUpperInvariant() is not ("OFF" or "NORMAL" or "FULL" or "EXTRA"))
        {
            yield return $"AlertRelay:Database:Synchronous must be OFF, NORMAL, FULL or EXTRA, not \"{Synchronous}\"";
        }
    }

    /// <summary>Settings given that the chosen engine does not use: warned about at start-up, never ignored silently.</summary>
    public IEnumerable<string> Unused()
    {
        var defaults = new DatabaseOptions();
        if (IsPostgres)
        {
            if (Path != defaults.Path)
            {
                yield return $"AlertRelay:Database:Path ({Path}) is a SQLite setting: ignored with Provider \"postgres\"";
            }

            if (!string.Equals(Synchronous, defaults.Synchronous, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"AlertRelay:Database:Synchronous ({Synchronous}) is a SQLite setting: ignored with Provider \"postgres\" (PostgreSQL's own synchronous_commit decides)";
            }
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(ConnectionStringFile))
            {
                yield return "AlertRelay:Database:ConnectionString/ConnectionStringFile is set but Provider is \"sqlite\": the history goes to the SQLite file "
                    + $"{Path}; set AlertRelay:Database:Provider=postgres to use PostgreSQL";
            }

            if (MaxPoolSize != defaults.MaxPoolSize)
            {
                yield return $"AlertRelay:Database:MaxPoolSize ({MaxPoolSize}) is a PostgreSQL setting: ignored with Provider \"sqlite\"";
            }
        }
    }

    /// <summary>The PostgreSQL connection string: the setting, or the trimmed content of the file it names.</summary>
    public string PostgresConnectionString() =>
        !string.IsNullOrWhiteSpace(ConnectionString) ? ConnectionString
        : ConnectionStringFile is { } file ? File.ReadAllText(file).Trim()
        : throw new InvalidOperationException("AlertRelay:Database:ConnectionString is not set");
}

namespace AlertRelay.Core.History;

/// <summary>Settings of the SQLite history store, bound to <c>AlertRelay:Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "AlertRelay:Database";

    /// <summary>The database file; relative paths are resolved against the working directory.</summary>
    public string Path { get; set; } = "data/alertrelay.db";

    /// <summary>How long a statement waits for a lock held by another connection or process before failing.</summary>
    public int BusyTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// SQLite's synchronous setting. FULL (default) fsyncs the WAL on every commit, so a 2xx survives
    /// power loss; NORMAL survives a crash of the process but not of the machine.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
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
}

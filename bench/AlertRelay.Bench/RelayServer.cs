namespace AlertRelay.Bench;

/// <summary>
/// AlertRelay started as a child process (<c>dotnet AlertRelay.Api.dll --urls ...</c>, a shared <see cref="ServerProcess"/>)
/// on a free port with a fresh database in a temporary directory. Its console log goes to <c>server.log</c> in that directory.
/// Disposing kills it and deletes the directory (unless asked to keep it).
/// </summary>
public sealed class RelayServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly bool _keepDirectory;

    private RelayServer(ServerProcess process, string directory, bool keepDirectory)
    {
        _process = process;
        _keepDirectory = keepDirectory;
        Url = new Uri(process.Url + "/");
        Directory = directory;
        DatabasePath = Path.Combine(directory, "alertrelay.db");
    }

    public Uri Url { get; }

    public string Directory { get; }

    public string DatabasePath { get; }

    public int ProcessId => _process.Id;

    /// <summary>Lines the server logged at warn level since it started.</summary>
    public int Warnings => _process.Warnings;

    /// <summary>Lines the server logged at fail or crit level since it started.</summary>
    public int Errors => _process.Errors;

    public string LogPath => _process.LogPath!;

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long LaunchedAt => _process.LaunchedAt;

    /// <summary>False once the process has exited (it crashed, or was killed).</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Starts the server and waits until <c>GET /readyz</c> answers 200.</summary>
    /// <param name="seedDatabase">A database file to copy in as <c>alertrelay.db</c> before the start (null: a fresh one).</param>
    /// <param name="environment">Extra environment variables for the server, e.g. <c>AlertRelay__History__RetainDays</c>.</param>
    public static async Task<RelayServer> StartAsync(
        string apiDll,
        string synchronous,
        string token,
        bool keepDirectory,
        CancellationToken cancellationToken,
        string? seedDatabase = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var server = Launch(apiDll, synchronous, token, keepDirectory, seedDatabase, environment);
        try
        {
            await server._process.WaitUntilReadyAsync("/readyz", TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Starts the server without waiting for it (the start-up scenario times it from <see cref="LaunchedAt"/>); the
    /// database file is copied in first, so the copy is not part of the start-up.
    /// </summary>
    public static RelayServer Launch(
        string apiDll,
        string synchronous,
        string token,
        bool keepDirectory,
        string? seedDatabase = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-bench-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        if (seedDatabase is not null)
        {
            File.Copy(seedDatabase, Path.Combine(directory, "alertrelay.db"));
        }

        var url = $"http://127.0.0.1:{FreePort.Get()}";
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["AlertRelay__Database__Path"] = Path.Combine(directory, "alertrelay.db"),
            ["AlertRelay__Database__Synchronous"] = synchronous,
            ["AlertRelay__Auth__WebhookToken"] = token,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        // The content root is the working directory: run next to the dll so that appsettings.json is found.
        var process = ServerProcess.Launch("dotnet", [apiDll, "--urls", url], url, settings,
            workingDirectory: Path.GetDirectoryName(apiDll)!, logPath: Path.Combine(directory, "server.log"));
        return new RelayServer(process, directory, keepDirectory);
    }

    /// <summary>Peak resident set size of the server process (VmHWM in /proc/&lt;pid&gt;/status), or null off Linux.</summary>
    public long? PeakRssBytes() => _process.PeakRssBytes();

    /// <summary>Resident set size of the server process now (VmRSS in /proc/&lt;pid&gt;/status), or null off Linux.</summary>
    public long? RssBytes() => _process.RssBytes();

    /// <summary>CPU time the server has used so far (user + system).</summary>
    public TimeSpan CpuTime() => _process.CpuTime();

    /// <summary>Size of the database file and of its write-ahead log.</summary>
    public (long Database, long Wal) DatabaseBytes() => (FileLength(DatabasePath), FileLength(DatabasePath + "-wal"));

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (!_keepDirectory)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }
}

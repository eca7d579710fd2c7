using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AlertRelay.Bench;

/// <summary>
/// AlertRelay started as a child process (<c>dotnet AlertRelay.Api.dll --urls ...</c>) on a free port with a
/// fresh database in a temporary directory. Its console log goes to <c>server.log</c> in that directory.
/// Disposing kills it and deletes the directory (unless asked to keep it).
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly bool _keepDirectory;
    private int _warnings;
    private int _errors;
    private bool _logClosed;

    private ServerProcess(Process process, Uri url, string directory, StreamWriter log, bool keepDirectory)
    {
        _process = process;
        _log = log;
        _keepDirectory = keepDirectory;
        Url = url;
        Directory = directory;
        DatabasePath = Path.Combine(directory, "alertrelay.db");
    }

    public Uri Url { get; }

    public string Directory { get; }

    public string DatabasePath { get; }

    public int ProcessId => _process.Id;

    /// <summary>Lines the server logged at warn level since it started.</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>Lines the server logged at fail or crit level since it started.</summary>
    public int Errors => Volatile.Read(ref _errors);

    public string LogPath => Path.Combine(Directory, "server.log");

    /// <summary>Starts the server and waits until <c>GET /readyz</c> answers 200.</summary>
    /// <param name="seedDatabase">A database file to copy in as <c>alertrelay.db</c> before the start (null: a fresh one).</param>
    /// <param name="environment">Extra environment variables for the server, e.g. <c>AlertRelay__History__RetainDays</c>.</param>
    public static async Task<ServerProcess> StartAsync(
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
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(30), cancellationToken);
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
    public static ServerProcess Launch(
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

        var url = new Uri($"http://127.0.0.1:{FreePort()}/");

        var start = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: run next to the dll so that appsettings.json is found.
            WorkingDirectory = Path.GetDirectoryName(apiDll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(apiDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["AlertRelay__Database__Path"] = Path.Combine(directory, "alertrelay.db");
        start.Environment["AlertRelay__Database__Synchronous"] = synchronous;
        start.Environment["AlertRelay__Auth__WebhookToken"] = token;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(Path.Combine(directory, "server.log")) { AutoFlush = true };
        var launchedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new ServerProcess(process, url, directory, log, keepDirectory) { LaunchedAt = launchedAt };
        process.OutputDataReceived += (_, e) => server.OnLogLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLogLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long LaunchedAt { get; private init; }

    /// <summary>False once the process has exited (it crashed, or was killed).</summary>
    public bool IsRunning => !_process.HasExited;

    private void OnLogLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        // The default console formatter starts each entry with its level: "warn: ", "fail: ", "crit: ".
        if (line.StartsWith("warn:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _warnings);
        }
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errors);
        }

        lock (_log)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    /// <summary>Polls <c>GET /readyz</c> every <paramref name="pollInterval"/> (default 100 ms) until it answers 200.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken, TimeSpan? pollInterval = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"AlertRelay exited with code {_process.ExitCode} before it was ready; see {LogPath}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(Url, "readyz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"AlertRelay was not ready within {timeout.TotalSeconds:F0} s; see {LogPath}");
    }

    /// <summary>Peak resident set size of the server process (VmHWM in /proc/&lt;pid&gt;/status), or null off Linux.</summary>
    public long? PeakRssBytes() => ReadProcStatusKb("VmHWM:") * 1024;

    /// <summary>Resident set size of the server process now (VmRSS in /proc/&lt;pid&gt;/status), or null off Linux.</summary>
    public long? RssBytes() => ReadProcStatusKb("VmRSS:") * 1024;

    private long? ReadProcStatusKb(string field)
    {
        var path = $"/proc/{_process.Id}/status";
        if (!File.Exists(path))
        {
            return null;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var number = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(number, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>CPU time the server has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Size of the database file and of its write-ahead log.</summary>
    public (long Database, long Wal) DatabaseBytes() => (FileLength(DatabasePath), FileLength(DatabasePath + "-wal"));

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _logClosed = true;
            _log.Dispose();
        }

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

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AlertRelay.Testing;

/// <summary>
/// A server run as a child process (by the tests, and by the benchmark): output captured (in memory, or to a log file),
/// ready-wait on an HTTP path, warnings and errors of a .NET console log counted, memory and CPU read, killed on dispose.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _fileName;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter? _log;
    private bool _logClosed;
    private int _warnings;
    private int _errors;

    private ServerProcess(Process process, string fileName, string url, string? logPath, long launchedAt)
    {
        _process = process;
        _fileName = fileName;
        Url = url;
        LogPath = logPath;
        LaunchedAt = launchedAt;
        _log = logPath is null ? null : new StreamWriter(logPath) { AutoFlush = true };
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long LaunchedAt { get; }

    /// <summary>The file the output goes to, when the server was launched with one (then <see cref="Output"/> only names it).</summary>
    public string? LogPath { get; }

    /// <summary>Lines logged at warn level so far (.NET's console logger starts each entry with its level: "warn: ").</summary>
    public int Warnings => Volatile.Read(ref _warnings);

    /// <summary>Lines logged at fail or crit level so far.</summary>
    public int Errors => Volatile.Read(ref _errors);

    public string Output
    {
        get
        {
            if (LogPath is not null)
            {
                return $"(output in {LogPath})";
            }

            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="fileName"/> and waits until GET <paramref name="readyPath"/> answers 2xx.</summary>
    public static async Task<ServerProcess> StartAsync(
        string fileName, IEnumerable<string> arguments, string url, string readyPath, IDictionary<string, string>? environment = null)
    {
        var server = Launch(fileName, arguments, url, environment);
        try
        {
            await server.WaitUntilReadyAsync(readyPath, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> without waiting for it (see <see cref="WaitUntilReadyAsync"/> and
    /// <see cref="LaunchedAt"/>), in <paramref name="workingDirectory"/> when given, its output going to
    /// <paramref name="logPath"/> when given (a long run's output is not kept in memory then).
    /// </summary>
    public static ServerProcess Launch(
        string fileName,
        IEnumerable<string> arguments,
        string url,
        IEnumerable<KeyValuePair<string, string>>? environment = null,
        string? workingDirectory = null,
        string? logPath = null)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            info.Environment[name] = value;
        }

        var launchedAt = Stopwatch.GetTimestamp();
        var server = new ServerProcess(Process.Start(info)!, fileName, url, logPath, launchedAt);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Polls GET <paramref name="readyPath"/> (every 100 ms unless told otherwise) until it answers 2xx; throws when the
    /// process exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public async Task WaitUntilReadyAsync(
        string readyPath, TimeSpan timeout, CancellationToken cancellationToken = default, TimeSpan? pollInterval = null)
    {
        var ready = await Eventually.PollAsync(
            async () =>
            {
                if (HasExited)
                {
                    throw new InvalidOperationException($"{_fileName} exited with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await Client.GetAsync(readyPath, cancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    return false; // Not listening yet, or not answering yet.
                }
            },
            timeout,
            pollInterval ?? TimeSpan.FromMilliseconds(100),
            cancellationToken);
        if (!ready)
        {
            throw new TimeoutException($"{_fileName} did not become ready within {timeout.TotalSeconds:0} s:\n{Output}");
        }
    }

    /// <summary>Runs a built .NET app (<paramref name="dll"/>) with the same dotnet host as the tests, on 127.0.0.1:<paramref name="port"/>.</summary>
    public static Task<ServerProcess> StartDotnetAsync(string dll, int port, string readyPath, IDictionary<string, string>? environment = null)
    {
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var url = $"http://127.0.0.1:{port}";
        return StartAsync(dotnet, [dll, "--urls", url], url, readyPath, environment);
    }

    /// <summary>Sends a POSIX signal (e.g. "HUP") to the process.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The value of a metric in the server's /metrics, summed over the series whose line contains <paramref name="labelFilter"/>.</summary>
    public async Task<double> MetricAsync(string name, string labelFilter = "")
    {
        var text = await Client.GetStringAsync("/metrics");
        return text.Split('\n')
            .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(labelFilter, StringComparison.Ordinal))
            .Where(line => line.Length > name.Length && (line[name.Length] == '{' || line[name.Length] == ' '))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Resident set size now (VmRSS in /proc/&lt;pid&gt;/status), or null off Linux or once the process is gone.</summary>
    public long? RssBytes() => ReadProcStatusKb("VmRSS:") * 1024;

    /// <summary>Peak resident set size (VmHWM in /proc/&lt;pid&gt;/status), or null off Linux or once the process is gone.</summary>
    public long? PeakRssBytes() => ReadProcStatusKb("VmHWM:") * 1024;

    /// <summary>CPU time the process has used so far (user + system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

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
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("warn:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _warnings);
        }
        else if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errors);
        }

        if (_log is not null)
        {
            lock (_log)
            {
                if (!_logClosed)
                {
                    _log.WriteLine(line);
                }
            }

            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        // After a kill, and after an exit of its own: the output is read to its end before the log file is closed.
        await _process.WaitForExitAsync();
        _process.Dispose();
        if (_log is not null)
        {
            lock (_log)
            {
                _logClosed = true;
                _log.Dispose();
            }
        }
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AlertRelay.Bench;

BenchOptions options;
try
{
    if (args.Contains("--help") || args.Contains("-h"))
    {
        Console.WriteLine(BenchOptions.Usage);
        return 0;
    }

    options = BenchOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}\n\n{BenchOptions.Usage}");
    return 2;
}

var apiDll = options.Url is null ? Path.GetFullPath(options.ApiDll ?? DefaultApiDll()) : null;
if (apiDll is not null && !File.Exists(apiDll))
{
    Console.Error.WriteLine($"error: {apiDll} does not exist; build it first: dotnet build -c Release AlertRelay.Api (or pass --api-dll or --url)");
    return 2;
}

// Ctrl+C or SIGTERM stops the load; disposing the server then kills it, so no AlertRelay is left behind.
using var cancel = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);

Console.WriteLine($"# AlertRelay ingest benchmark, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
Console.WriteLine($"target: {(options.Url?.ToString() ?? apiDll + " (child process, fresh database per run)")}");
Console.WriteLine($"load: {options.AlertsPerBody} alerts per body, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s measured per run"
    + (options.Scenarios.Contains(Scenario.Resend) ? $", resend ratio {options.ResendRatio * 100:F0}%" : ""));
Console.WriteLine();

var rows = new List<RunRow>();
string?[] synchronousModes = options.Url is null ? [.. options.Synchronous] : [null];
try
{
    foreach (var scenario in options.Scenarios)
    {
        foreach (var synchronous in synchronousModes)
        {
            foreach (var connections in options.Connections)
            {
                var row = await RunOnceAsync(scenario, synchronous, connections, cancel.Token);
                rows.Add(row);
                Console.WriteLine($"  -> {row.Load.RequestsPerSecond:F0} req/s, {row.Load.AlertsPerSecond:F0} alerts/s, p99 {row.Load.LatencyMs(0.99):F1} ms, "
                    + $"{row.Load.NonSuccessCount} non-2xx, {row.Load.Errors.Count} errors");
            }
        }
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("cancelled");
}

if (rows.Count > 0)
{
    Console.WriteLine();
    PrintTables(rows);
    PrintProblems(rows);
}

// 130 as a shell reports Ctrl+C; 1 when any request failed, so that scripts notice.
return cancel.IsCancellationRequested ? 130 : rows.Any(r => r.Load.NonSuccessCount > 0 || r.Load.Errors.Count > 0) ? 1 : 0;

async Task<RunRow> RunOnceAsync(Scenario scenario, string? synchronous, int connections, CancellationToken cancellationToken)
{
    Console.WriteLine($"run: {Name(scenario)}, synchronous {synchronous ?? "(server's)"}, {connections} connections");
    var token = options.Url is null ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.Token;
    await using var server = apiDll is null ? null
        : await ServerProcess.StartAsync(apiDll, synchronous!, token!, options.KeepDatabase, cancellationToken);
    var baseUrl = server?.Url ?? options.Url!;
    if (server is not null)
    {
        Console.WriteLine($"  server pid {server.ProcessId} on {baseUrl}, database {server.DatabasePath}");
    }

    using var client = new HttpClient(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
    if (!string.IsNullOrEmpty(token))
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
    var payloads = new PayloadFactory(runId, options.AlertsPerBody, DateTimeOffset.UtcNow.AddDays(-1));
    var runner = new LoadRunner(client, new Uri(baseUrl, "webhook"), payloads, scenario, options.ResendRatio);
    var logBefore = (server?.Warnings ?? 0, server?.Errors ?? 0);

    var schedule = new LoadSchedule(options.Warmup, options.Duration);
    var load = runner.RunAsync(connections, schedule, cancellationToken);
    await LoadSchedule.DelayUntilAsync(schedule.MeasureFrom, cancellationToken);
    var before = await ServerSnapshot.TakeAsync(probe, baseUrl, server, cancellationToken);
    await LoadSchedule.DelayUntilAsync(schedule.MeasureUntil, cancellationToken);
    var after = await ServerSnapshot.TakeAsync(probe, baseUrl, server, cancellationToken);
    var result = await load;

    var (database, wal) = server?.DatabaseBytes() ?? (0, 0);
    return new RunRow(
        scenario,
        synchronous ?? "(server's)",
        result,
        ServerDelta.Between(before, after, options.Duration),
        server?.PeakRssBytes(),
        server is null ? null : database,
        server is null ? null : wal,
        server is null ? null : (server.Warnings - logBefore.Item1, server.Errors - logBefore.Item2),
        server?.LogPath);
}

void PrintTables(IReadOnlyList<RunRow> results)
{
    Console.WriteLine("## Ingest");
    Console.WriteLine();
    MarkdownTable.Print(
        ["scenario", "synchronous", "conns", "req/s", "alerts/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "errors", "peak RSS MiB", "DB MiB (+WAL)"],
        results.Select(r => new[]
        {
            Name(r.Scenario), r.Synchronous, Int(r.Load.Connections), Fixed(r.Load.RequestsPerSecond, 0), Fixed(r.Load.AlertsPerSecond, 0),
            Fixed(r.Load.LatencyMs(0.50), 1), Fixed(r.Load.LatencyMs(0.99), 1), Fixed(r.Load.LatencyMs(1.0), 1),
            Int(r.Load.NonSuccessCount), Int(r.Load.Errors.Count), Mib(r.PeakRssBytes),
            r.DatabaseBytes is { } db ? $"{Mib(db)} (+{Mib(r.WalBytes)})" : "n/a",
        }));
    Console.WriteLine();
    Console.WriteLine("## Server side of the same runs");
    Console.WriteLine();
    MarkdownTable.Print(
        ["scenario", "synchronous", "conns", "requests", "created", "duplicates", "resent bodies", "commits/s", "req/commit", "commit ms", "server CPU", "bench CPU", "log warn/fail"],
        results.Select(r => new[]
        {
            Name(r.Scenario), r.Synchronous, Int(r.Load.Connections), Int(r.Load.Ok), Int(r.Load.Created), Int(r.Load.Duplicates),
            Percent(r.Load.Ok > 0 ? r.Load.Resent / (double)r.Load.Ok : null),
            Fixed(r.Server.Commits / r.Load.Window.TotalSeconds, 0), Fixed(r.Server.RequestsPerCommit, 1), Fixed(r.Server.CommitMs, 2),
            Percent(r.Server.ServerCpuShare), Percent(r.Server.BenchCpuShare),
            r.ServerLog is { } log ? $"{log.Warnings}/{log.Errors}" : "n/a",
        }));
    Console.WriteLine();
    Console.WriteLine("req/s and alerts/s count 2xx answers completed inside the measured window; latencies are client-side over every answer in it.");
    Console.WriteLine("CPU is a share of one core (200% = both cores of a 2-core machine); the bench client runs on the same machine.");
}

void PrintProblems(IReadOnlyList<RunRow> results)
{
    foreach (var r in results.Where(r => r.Load.NonSuccessCount > 0 || r.Load.Errors.Count > 0 || r.ServerLog is { Warnings: > 0 } or { Errors: > 0 } || r.Server.CommitFailures > 0))
    {
        Console.WriteLine();
        Console.WriteLine($"{Name(r.Scenario)} / {r.Synchronous} / {r.Load.Connections} connections:");
        foreach (var (status, count) in r.Load.NonSuccess.OrderBy(p => p.Key))
        {
            Console.WriteLine($"  HTTP {status}: {count}");
        }

        foreach (var group in r.Load.Errors.GroupBy(e => e).OrderByDescending(g => g.Count()).Take(5))
        {
            Console.WriteLine($"  {group.Count()} x {group.Key}");
        }

        if (r.Server.CommitFailures > 0)
        {
            Console.WriteLine($"  {r.Server.CommitFailures} failed group commits");
        }

        if (r.ServerLog is { } log && (log.Warnings > 0 || log.Errors > 0))
        {
            Console.WriteLine($"  server logged {log.Warnings} warnings and {log.Errors} errors during the run; see {r.LogPath}"
                + (options.KeepDatabase ? "" : " (deleted: rerun with --keep-db to keep it)"));
        }
    }
}

void StopGracefully(PosixSignalContext context)
{
    context.Cancel = true;
    cancel.Cancel();
}

static string DefaultApiDll()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "AlertRelay.sln")))
        {
            return Path.Combine(dir.FullName, "AlertRelay.Api", "bin", "Release", "net10.0", "AlertRelay.Api.dll");
        }
    }

    throw new ArgumentException("cannot find the repository (AlertRelay.sln) above the bench; pass --api-dll or --url");
}

static string CpuModel()
{
    const string cpuinfo = "/proc/cpuinfo";
    var model = File.Exists(cpuinfo) ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
    return model?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
}

static string Name(Scenario scenario) => scenario.ToString().ToLowerInvariant();

static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

static string Fixed(double? value, int decimals) =>
    value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "n/a";

static string Percent(double? share) => share is { } s ? Fixed(s * 100, 0) + "%" : "n/a";

static string Mib(long? bytes) => Fixed(bytes / (1024.0 * 1024.0), 1);

/// <summary>One run's figures: client-side results, server-side deltas, and what was read from the server process.</summary>
internal sealed record RunRow(
    Scenario Scenario,
    string Synchronous,
    LoadResult Load,
    ServerDelta Server,
    long? PeakRssBytes,
    long? DatabaseBytes,
    long? WalBytes,
    (int Warnings, int Errors)? ServerLog,
    string? LogPath);

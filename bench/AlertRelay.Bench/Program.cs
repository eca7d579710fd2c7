using System.Diagnostics;
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
if (options.Scenarios.Any(s => s is Scenario.Unique or Scenario.Resend or Scenario.Retention))
{
    Console.WriteLine($"load: {options.AlertsPerBody} alerts per body, {options.Warmup.TotalSeconds:F0} s warm-up + {options.Duration.TotalSeconds:F0} s measured per run"
        + (options.Scenarios.Contains(Scenario.Resend) ? $", resend ratio {options.ResendRatio * 100:F0}%" : ""));
}

Console.WriteLine();

var rows = new List<RunRow>();
var scenariosFailed = false;
string?[] synchronousModes = options.Url is null ? [.. options.Synchronous] : [null];
try
{
    foreach (var scenario in options.Scenarios)
    {
        if (scenario == Scenario.Retention)
        {
            await RunRetentionAsync(cancel.Token);
            continue;
        }

        if (scenario == Scenario.Writer)
        {
            scenariosFailed |= !await WriterThroughput.RunAsync(options, cancel.Token);
            continue;
        }

        // Scenarios with their own runner and tables; each starts its own servers (not --url).
        if (scenario is Scenario.Notify or Scenario.History or Scenario.Startup)
        {
            if (apiDll is null)
            {
                Console.WriteLine($"{Name(scenario)}: skipped, it needs a started server (not --url)");
                continue;
            }

            scenariosFailed |= !await (scenario switch
            {
                Scenario.Notify => NotificationLatency.RunAsync(options, apiDll, cancel.Token),
                Scenario.History => HistoryQueries.RunAsync(options, apiDll, cancel.Token),
                _ => Startup.RunAsync(options, apiDll, cancel.Token),
            });
            continue;
        }

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
return cancel.IsCancellationRequested ? 130 : scenariosFailed || rows.Any(r => r.Load.NonSuccessCount > 0 || r.Load.Errors.Count > 0) ? 1 : 0;

async Task RunRetentionAsync(CancellationToken cancellationToken)
{
    if (apiDll is null)
    {
        Console.WriteLine("retention: skipped, it needs a started server (not --url)");
        return;
    }

    foreach (var synchronous in options.Synchronous)
    {
        Console.WriteLine($"retention: seeding {options.Backlog} resolved occurrences ended {RetentionBacklog.AgeDays} days ago (one received event each)");
        var (directory, database, took) = await RetentionBacklog.CreateAsync(apiDll, synchronous, options.Backlog, cancellationToken);
        Console.WriteLine($"  seeded {database} ({Mib(new FileInfo(database).Length)} MiB) in {took.TotalSeconds:F1} s");
        try
        {
            foreach (var connections in options.Connections)
            {
                foreach (var retainDays in new[] { 0, 90 })
                {
                    var row = await RunOnceAsync(Scenario.Retention, synchronous, connections, cancellationToken, new RetentionRun(database, retainDays));
                    rows.Add(row);
                    Console.WriteLine($"  -> {row.Load.RequestsPerSecond:F0} req/s, {row.Load.AlertsPerSecond:F0} alerts/s, p99 {row.Load.LatencyMs(0.99):F1} ms, "
                        + $"{row.Load.NonSuccessCount} non-2xx, {row.Load.Errors.Count} errors; {row.Retention!.Describe()}");
                }
            }
        }
        finally
        {
            if (!options.KeepDatabase)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}

async Task<RunRow> RunOnceAsync(Scenario scenario, string? synchronous, int connections, CancellationToken cancellationToken, RetentionRun? retention = null)
{
    Console.WriteLine($"run: {Name(scenario)}{(retention is null ? "" : $", RetainDays={retention.RetainDays}")}, synchronous {synchronous ?? "(server's)"}, {connections} connections");
    var token = options.Url is null ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.Token;
    var launchedAt = Stopwatch.GetTimestamp();
    await using var server = apiDll is null ? null
        : await RelayServer.StartAsync(apiDll, synchronous!, token!, options.KeepDatabase, cancellationToken,
            seedDatabase: retention?.SeedDatabase,
            environment: retention is null ? null : new Dictionary<string, string>
            {
                ["AlertRelay__History__RetainDays"] = retention.RetainDays.ToString(CultureInfo.InvariantCulture),
            });
    var readyAt = Stopwatch.GetTimestamp();
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

    // The retention pass starts with the server, before it is ready: a short warm-up keeps the deletion inside the window.
    var warmup = retention is null ? options.Warmup : TimeSpan.FromSeconds(Math.Min(options.Warmup.TotalSeconds, 1));
    using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    using var retentionClient = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var retentionProbe = retention is null ? null : new RetentionProbe();
    var sampling = retentionProbe?.RunAsync(retentionClient, baseUrl, stopProbe.Token) ?? Task.CompletedTask;

    var schedule = new LoadSchedule(warmup, options.Duration);
    var load = runner.RunAsync(connections, schedule, cancellationToken);
    await LoadSchedule.DelayUntilAsync(schedule.MeasureFrom, cancellationToken);
    var before = await ServerSnapshot.TakeAsync(probe, baseUrl, server, cancellationToken);
    var backlogBefore = retention is null ? 0 : RetentionBacklog.CountBacklog(server!.DatabasePath);
    await LoadSchedule.DelayUntilAsync(schedule.MeasureUntil, cancellationToken);
    var backlogAfter = retention is null ? 0 : RetentionBacklog.CountBacklog(server!.DatabasePath);
    var after = await ServerSnapshot.TakeAsync(probe, baseUrl, server, cancellationToken);
    var result = await load;
    if (retentionProbe is not null && retention!.RetainDays > 0 && backlogAfter > 0)
    {
        // The pass outlived the window: keep the (now idle) server up until it ends, for its duration.
        var deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (retentionProbe.DeletedAt is null && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(100, cancellationToken);
        }
    }

    await stopProbe.CancelAsync();
    await sampling;
    RetentionFigures? retentionFigures = retentionProbe is null ? null : new RetentionFigures(
        retention!.RetainDays,
        retentionProbe.Deleted,
        retentionProbe.DeletedAt is { } at ? Stopwatch.GetElapsedTime(launchedAt, at) : null,
        retentionProbe.DeletedAt is { } at2 ? Stopwatch.GetElapsedTime(readyAt, at2) : null,
        Stopwatch.GetElapsedTime(readyAt, schedule.MeasureFrom),
        backlogBefore - backlogAfter,
        backlogBefore,
        backlogAfter);

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
        server?.LogPath,
        retentionFigures);
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

    var retentionRows = results.Where(r => r.Retention is not null).ToList();
    if (retentionRows.Count == 0)
    {
        return;
    }

    Console.WriteLine();
    Console.WriteLine($"## Ingest while retention deletes a backlog ({options.Backlog} resolved occurrences ended {RetentionBacklog.AgeDays} days ago)");
    Console.WriteLine();
    MarkdownTable.Print(
        ["RetainDays", "synchronous", "conns", "alerts/s", "p50 ms", "p99 ms", "max ms", "non-2xx", "pass deleted (metric)", "deleted in window (backlog left)", "pass done after launch / ready", "window opens after ready"],
        retentionRows.Select(r => new[]
        {
            Int(r.Retention!.RetainDays), r.Synchronous, Int(r.Load.Connections), Fixed(r.Load.AlertsPerSecond, 0),
            Fixed(r.Load.LatencyMs(0.50), 1), Fixed(r.Load.LatencyMs(0.99), 1), Fixed(r.Load.LatencyMs(1.0), 1), Int(r.Load.NonSuccessCount),
            Fixed(r.Retention.Deleted, 0), $"{r.Retention.DeletedInWindow:F0} ({r.Retention.BacklogAtWindowStart} → {r.Retention.BacklogAtWindowEnd} left)",
            r.Retention.DoneAfterLaunch is { } l ? $"{l.TotalSeconds:F1} s / {r.Retention.DoneAfterReady!.Value.TotalSeconds:F1} s" : "not done",
            $"{r.Retention.WindowOpensAfterReady.TotalSeconds:F1} s",
        }));
    Console.WriteLine();
    foreach (var group in retentionRows.GroupBy(r => (r.Synchronous, r.Load.Connections)))
    {
        var off = group.FirstOrDefault(r => r.Retention!.RetainDays == 0);
        var on = group.FirstOrDefault(r => r.Retention!.RetainDays > 0);
        if (off is not null && on is not null)
        {
            Console.WriteLine($"synchronous {group.Key.Synchronous}, {group.Key.Connections} connections: p99 with retention / p99 without = "
                + $"{on.Load.LatencyMs(0.99):F1} / {off.Load.LatencyMs(0.99):F1} ms = {Fixed(on.Load.LatencyMs(0.99) / off.Load.LatencyMs(0.99), 2)}; "
                + $"alerts/s ratio {Fixed(on.Load.AlertsPerSecond / off.Load.AlertsPerSecond, 2)}");
        }
    }

    Console.WriteLine("The retention worker's first pass starts with the server (before /readyz answers); AlertRelay adds the pass's deletions to");
    Console.WriteLine("alertrelay_history_rows_deleted_total when it ends, so \"pass done\" is when the bench (sampling /metrics every 100 ms) saw it move; if the pass");
    Console.WriteLine("outlives the window the idle server is kept up (at most 120 s) until it does. \"deleted in window\" counts backlog rows (read-only) at the window's start and end.");
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
    string? LogPath,
    RetentionFigures? Retention = null);

/// <summary>Where the retention scenario's server gets its database, and its retention setting.</summary>
internal sealed record RetentionRun(string SeedDatabase, int RetainDays);

/// <summary>What the retention probe saw: occurrences deleted, and when the start-up pass finished.</summary>
internal sealed record RetentionFigures(
    int RetainDays,
    double Deleted,
    TimeSpan? DoneAfterLaunch,
    TimeSpan? DoneAfterReady,
    TimeSpan WindowOpensAfterReady,
    double DeletedInWindow,
    long BacklogAtWindowStart,
    long BacklogAtWindowEnd)
{
    public string Describe() => DoneAfterLaunch is { } l
        ? $"retention deleted {Deleted:F0} occurrences, done {l.TotalSeconds:F1} s after launch ({DoneAfterReady!.Value.TotalSeconds:F1} s after ready; window opened at {WindowOpensAfterReady.TotalSeconds:F1} s)"
        : $"retention deleted nothing during the run";
}

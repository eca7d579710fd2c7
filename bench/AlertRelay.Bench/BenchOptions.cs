using System.Globalization;

namespace AlertRelay.Bench;

/// <summary>The two ingest workloads.</summary>
public enum Scenario
{
    /// <summary>Every body carries alerts never seen before: each alert is a new occurrence.</summary>
    Unique,

    /// <summary>Most bodies repeat an already-stored body byte for byte, like Alertmanager's group re-sends.</summary>
    Resend,

    /// <summary>
    /// The unique load against a database seeded with a backlog of old resolved occurrences, once with retention
    /// off and once with retention deleting the backlog while the load runs. Only when asked (not in <c>all</c>).
    /// </summary>
    Retention,

    /// <summary>Time from a webhook's 2xx to the Slack API stub and the SMTP server receiving its notification. Only when asked.</summary>
    Notify,

    /// <summary>GET /api/alerts and /api/alerts/stats against a database of --history-rows occurrences. Only when asked.</summary>
    History,

    /// <summary>Start-up time to the first 2xx of /readyz and of POST /webhook, and memory at idle. Only when asked.</summary>
    Startup,

    /// <summary>The ingest writer alone, in process (no HTTP): alerts/s and CPU per alert. Only when asked.</summary>
    Writer,
}

/// <summary>Command-line settings of the benchmark.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        AlertRelay ingest benchmark: posts Alertmanager webhook bodies (payload version 4) to POST /webhook.

        Usage: AlertRelay.Bench [options]
          --scenario unique|resend|retention|notify|history|startup|writer|all
                                         workload (default all = unique,resend); retention seeds a database with
                                         --backlog old resolved occurrences and runs unique against it with
                                         RetainDays=0 and RetainDays=90 (started servers only); notify, history and
                                         startup are below (started servers only, first --synchronous value); writer
                                         drives the ingest writer in process, without HTTP (alerts/s, CPU per alert)
          --backlog 300000               old resolved occurrences seeded for the retention scenario (default 300000)
          --synchronous FULL,NORMAL      SQLite synchronous settings to run, each with a fresh server (default FULL,NORMAL)
          --connections 32[,128...]      concurrent connections, one request in flight each (default 32)
          --duration 20                  measured seconds per run (default 20)
          --warmup 3                     uncounted seconds before measuring (default 3)
          --alerts 10                    alerts per webhook body (default 10)
          --resend-ratio 0.9             share of re-sent bodies in the resend scenario (default 0.9)
          --api-dll PATH                 AlertRelay.Api.dll to start (default: AlertRelay.Api/bin/Release/net10.0 of the repo)
          --url http://host:port         target an already running AlertRelay instead of starting one
                                         (--synchronous is then ignored; RSS and database size are not reported)
          --token TOKEN                  webhook bearer token for --url (a started server gets a random one)
          --keep-db                      keep the temporary database directories of started servers
          --postgres CONNECTION_STRING   writer: also run on this PostgreSQL database (emptied first), with one
                                         ingest writer and with two (two replicas' writers on one database)

        Each connection keeps one request in flight (closed loop). Only answers completed inside the measured
        window count. In the resend scenario the warm-up posts new bodies only, to seed the store; in the
        window a body is re-sent with the resend ratio's probability, otherwise it is new.

        notify: webhook 2xx -> Slack Web API stub / SMTP server received, one alert per webhook body
          --notify-alerts 1000           measured alerts per mode (default 1000; 20 uncounted warm-up alerts first)
          --notify-modes steady,burst    steady = --notify-rate alerts/s, open loop; burst = all at once over
                                         --burst-connections connections (default both)
          --notify-rate 50               alerts per second in steady mode (default 50)
          --burst-connections 32         connections in burst mode (default 32)
          --notify-integrations slack,email   the receiver's integrations (default both; one alone shows what the
                                         other costs it: the dispatcher delivers both from the same passes)

        history: GET /api/alerts and /api/alerts/stats on a seeded database
          --history-rows 1000000         stored occurrences (default 1000000); the database is generated with AlertRelay's
                                         schema and its ingest statements (AlertWriter), not over HTTP, and cached in
                                         --cache-dir keyed by rows, schema version and generator version
          --reseed                       generate the cached database again
          --cache-dir /tmp/alertrelay-bench   where seeded databases are kept between runs
          --query-requests 200           measured requests per query and concurrency (default 200)
          --query-warmup 20              uncounted requests per query first (default 20)
          --query-concurrency 1,4        requests in flight (default 1,4)
          --query-budget 30              at most this many seconds per query and concurrency; fewer requests if slow
          --history-sql "CREATE INDEX ..."   run this SQL on a copy of the database first (to try an index)

        startup: start-up to the first 2xx of GET /readyz and of POST /webhook, RSS after --idle seconds
          --startup-runs 5               starts per database (default 5): an empty one and the history database
          --idle 10                      idle seconds before RSS is read (default 10)
        """;

    public IReadOnlyList<Scenario> Scenarios { get; init; } = [Scenario.Unique, Scenario.Resend];

    public IReadOnlyList<string> Synchronous { get; init; } = ["FULL", "NORMAL"];

    public IReadOnlyList<int> Connections { get; init; } = [32];

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    public int AlertsPerBody { get; init; } = 10;

    public double ResendRatio { get; init; } = 0.9;

    public int Backlog { get; init; } = 300_000;

    public string? ApiDll { get; init; }

    public Uri? Url { get; init; }

    public string? Token { get; init; }

    public bool KeepDatabase { get; init; }

    public int NotifyAlerts { get; init; } = 1000;

    public IReadOnlyList<string> NotifyModes { get; init; } = ["steady", "burst"];

    public int NotifyRate { get; init; } = 50;

    public int BurstConnections { get; init; } = 32;

    public IReadOnlyList<string> NotifyIntegrations { get; init; } = ["slack", "email"];

    public int HistoryRows { get; init; } = 1_000_000;

    public bool Reseed { get; init; }

    public string CacheDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "alertrelay-bench");

    public int QueryRequests { get; init; } = 200;

    public int QueryWarmup { get; init; } = 20;

    public IReadOnlyList<int> QueryConcurrency { get; init; } = [1, 4];

    public TimeSpan QueryBudget { get; init; } = TimeSpan.FromSeconds(30);

    public string? HistorySql { get; init; }

    public int StartupRuns { get; init; } = 5;

    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A PostgreSQL connection string (a server database the benchmark may fill and empty): the writer scenario also runs there.</summary>
    public string? Postgres { get; init; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message when one is wrong.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--keep-db")
            {
                options = options with { KeepDatabase = true };
                continue;
            }

            if (name == "--reseed")
            {
                options = options with { Reseed = true };
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{name} needs a value");
            }

            var value = args[++i];
            options = name switch
            {
                "--scenario" => options with { Scenarios = ParseScenarios(value) },
                "--synchronous" or "--sync" => options with { Synchronous = ParseSynchronous(value) },
                "--connections" or "-c" => options with { Connections = ParseList(value, name, v => ParseInt(v, name, 1, 10_000)) },
                "--duration" or "-d" => options with { Duration = TimeSpan.FromSeconds(ParseInt(value, name, 1, 3600)) },
                "--warmup" => options with { Warmup = TimeSpan.FromSeconds(ParseInt(value, name, 0, 600)) },
                "--alerts" => options with { AlertsPerBody = ParseInt(value, name, 1, 1000) },
                "--backlog" => options with { Backlog = ParseInt(value, name, 1, 100_000_000) },
                "--resend-ratio" => options with { ResendRatio = ParseRatio(value, name) },
                "--api-dll" => options with { ApiDll = value },
                "--url" => options with { Url = ParseUrl(value) },
                "--token" => options with { Token = value },
                "--notify-alerts" => options with { NotifyAlerts = ParseInt(value, name, 1, 1_000_000) },
                "--notify-modes" => options with { NotifyModes = ParseList(value, name, v => v.ToLowerInvariant() is "steady" or "burst" ? v.ToLowerInvariant()
                    : throw new ArgumentException($"{name}: \"{v}\" is not steady or burst")) },
                "--notify-rate" => options with { NotifyRate = ParseInt(value, name, 1, 100_000) },
                "--notify-integrations" => options with { NotifyIntegrations = ParseList(value, name, v => v.ToLowerInvariant() is "slack" or "email" ? v.ToLowerInvariant()
                    : throw new ArgumentException($"{name}: \"{v}\" is not slack or email")) },
                "--burst-connections" => options with { BurstConnections = ParseInt(value, name, 1, 10_000) },
                "--history-rows" => options with { HistoryRows = ParseInt(value, name, 1000, 100_000_000) },
                "--cache-dir" => options with { CacheDirectory = value },
                "--query-requests" => options with { QueryRequests = ParseInt(value, name, 1, 1_000_000) },
                "--query-warmup" => options with { QueryWarmup = ParseInt(value, name, 0, 1_000_000) },
                "--query-concurrency" => options with { QueryConcurrency = ParseList(value, name, v => ParseInt(v, name, 1, 256)) },
                "--history-sql" => options with { HistorySql = value },
                "--query-budget" => options with { QueryBudget = TimeSpan.FromSeconds(ParseInt(value, name, 1, 3600)) },
                "--startup-runs" => options with { StartupRuns = ParseInt(value, name, 1, 100) },
                "--postgres" => options with { Postgres = value },
                "--idle" => options with { Idle = TimeSpan.FromSeconds(ParseInt(value, name, 0, 600)) },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        return options;
    }

    private static Scenario[] ParseScenarios(string value) => value.ToLowerInvariant() switch
    {
        "all" => [Scenario.Unique, Scenario.Resend],
        _ => ParseList(value, "--scenario", v => v.ToLowerInvariant() switch
        {
            "unique" => Scenario.Unique,
            "resend" => Scenario.Resend,
            "retention" => Scenario.Retention,
            "notify" => Scenario.Notify,
            "history" => Scenario.History,
            "startup" => Scenario.Startup,
            "writer" => Scenario.Writer,
            _ => throw new ArgumentException($"--scenario: unknown scenario \"{v}\" (unique, resend, retention, notify, history, startup, writer or all)"),
        }),
    };

    private static string[] ParseSynchronous(string value) => ParseList(value, "--synchronous", v =>
        v.ToUpperInvariant() is "OFF" or "NORMAL" or "FULL" or "EXTRA" ? v.ToUpperInvariant()
            : throw new ArgumentException($"--synchronous: \"{v}\" is not OFF, NORMAL, FULL or EXTRA"));

    private static T[] ParseList<T>(string value, string name, Func<string, T> parse)
    {
        var items = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items.Select(parse).Distinct().ToArray() : throw new ArgumentException($"{name} needs at least one value");
    }

    private static int ParseInt(string value, string name, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"{name}: \"{value}\" is not an integer from {min} to {max}");

    private static double ParseRatio(string value, string name) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1
            ? r
            : throw new ArgumentException($"{name}: \"{value}\" is not a number from 0 to 1");

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--url: \"{value}\" is not an http(s) URL");
}

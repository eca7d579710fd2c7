using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Bench;

/// <summary>
/// The history scenario: GET /api/alerts and GET /api/alerts/stats with typical filters against a database of
/// --history-rows occurrences (<see cref="HistorySeeder"/>), served by a started AlertRelay (retention off, so nothing
/// is deleted under the queries). Each query runs --query-warmup uncounted requests, then --query-requests measured
/// ones (or as many as fit in --query-budget) at each --query-concurrency. Beside the HTTP figures: the same SQL timed
/// directly on the server's file (a copy of AlertQueries' statements: keep them in step) and its EXPLAIN QUERY PLAN.
/// </summary>
public static class HistoryQueries
{
    /// <summary>The issue's target for every query.</summary>
    public const double TargetP99Ms = 50;

    private const int DirectRuns = 5;

    public static async Task<bool> RunAsync(BenchOptions options, string apiDll, CancellationToken cancellationToken)
    {
        Console.WriteLine($"history: {options.HistoryRows:N0} occurrences, cache {options.CacheDirectory}{(options.Reseed ? " (--reseed)" : "")}");
        var seeded = await HistorySeeder.EnsureAsync(options.CacheDirectory, options.HistoryRows, options.Reseed, cancellationToken);
        Console.WriteLine(seeded.FromCache
            ? $"  cached database {seeded.Path}, seeded {seeded.SeededAt:yyyy-MM-dd HH:mm} UTC in {seeded.SeedSeconds:F0} s"
            : $"  seeded {seeded.Path} in {seeded.SeedSeconds:F0} s");
        Console.WriteLine($"  how: {seeded.Method}");
        Console.WriteLine($"  {seeded.Rows:N0} occurrences ({seeded.Firing:N0} firing), {seeded.Events:N0} events, {Cells.Mib(seeded.Bytes)} MiB "
            + $"= {seeded.Bytes / (double)seeded.Rows:F0} bytes per occurrence (with its {seeded.Events / (double)seeded.Rows:F2} events and every index)");

        var seedFile = seeded.Path;
        string? scratch = null;
        if (options.HistorySql is { } sql)
        {
            // A candidate change (an index) measured through the real server: applied to a copy of the cached file.
            scratch = Path.Combine(Path.GetTempPath(), "alertrelay-bench-history-sql-" + Guid.NewGuid().ToString("N")[..12] + ".db");
            File.Copy(seedFile, scratch);
            var took = Execute(scratch, sql);
            seedFile = scratch;
            Console.WriteLine($"  --history-sql applied to a copy in {took.TotalSeconds:F1} s: {sql}");
        }

        try
        {
            return await MeasureAsync(options, apiDll, seeded, seedFile, cancellationToken);
        }
        finally
        {
            if (scratch is not null)
            {
                File.Delete(scratch);
            }
        }
    }

    private static async Task<bool> MeasureAsync(BenchOptions options, string apiDll, SeededHistory seeded, string seedFile, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var copyStarted = Stopwatch.GetTimestamp();
        await using var server = await RelayServer.StartAsync(apiDll, options.Synchronous[0], token, options.KeepDatabase, cancellationToken,
            seedDatabase: seedFile,
            environment: new Dictionary<string, string> { ["AlertRelay__History__RetainDays"] = "0" });
        Console.WriteLine($"  server pid {server.ProcessId} on {server.Url}, database {server.DatabasePath} "
            + $"(copied and started in {Stopwatch.GetElapsedTime(copyStarted).TotalSeconds:F1} s)");

        // The cached file is only read as immutable (sqlite3) and queried through the server's copy: a WAL reader would
        // leave -wal/-shm files beside it.
        var sizes = await TableSizesAsync(seedFile, cancellationToken);
        var queries = Queries(server.DatabasePath, seeded);

        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.QueryConcurrency.Max(),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

        var rows = new List<QueryRow>();
        foreach (var query in queries)
        {
            var direct = DirectSql(server.DatabasePath, query);
            foreach (var concurrency in options.QueryConcurrency)
            {
                var load = Cells.LoadAverage();
                var figures = await MeasureQueryAsync(client, new Uri(server.Url, query.PathAndQuery), options, concurrency, cancellationToken);
                rows.Add(new QueryRow(query, concurrency, load, figures, direct));
                Console.WriteLine($"  {query.Name}, {concurrency} in flight: p50 {Cells.Ms(figures.Latency.P50)} / p99 {Cells.Ms(figures.Latency.P99)} ms "
                    + $"over {figures.Latency.Count}, {figures.Results}, SQL alone {Cells.Ms(direct.Latency.P50)} ms (load {load})");
            }
        }

        Print(options, seeded, sizes, rows, server.PeakRssBytes());
        return rows.All(r => r.Figures.Failures == 0);
    }

    private static async Task<QueryFigures> MeasureQueryAsync(HttpClient client, Uri url, BenchOptions options, int concurrency, CancellationToken cancellationToken)
    {
        string? results = null;
        long bytes = 0;
        for (var i = 0; i < options.QueryWarmup; i++)
        {
            var (_, status, body) = await GetAsync(client, url, cancellationToken);
            if (status == HttpStatusCode.OK)
            {
                results ??= Describe(body);
                bytes = body.Length;
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(options.QueryBudget.TotalSeconds * Stopwatch.Frequency);
        var latencies = new List<long>[concurrency];
        var failures = 0;
        var started = Stopwatch.GetTimestamp();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            latencies[worker] = [];
            while (Stopwatch.GetTimestamp() < deadline && Interlocked.Increment(ref next) <= options.QueryRequests)
            {
                var (ticks, status, body) = await GetAsync(client, url, cancellationToken);
                latencies[worker].Add(ticks);
                if (status != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                }
                else if (results is null)
                {
                    results = Describe(body);
                    bytes = body.Length;
                }
            }
        }, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(l => l).ToList();
        return new QueryFigures(Percentiles.OfTicks(all), all.Count / elapsed.TotalSeconds, failures, results ?? "no 2xx", bytes);
    }

    private static async Task<(long Ticks, HttpStatusCode Status, byte[] Body)> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return (Stopwatch.GetTimestamp() - started, response.StatusCode, body);
    }

    /// <summary>"100 items + next page" for a list, "total 1,000,000" for stats.</summary>
    private static string Describe(byte[] body)
    {
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        if (root.TryGetProperty("items", out var items))
        {
            var more = root.TryGetProperty("nextCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String;
            return $"{items.GetArrayLength()} items{(more ? " + next" : "")}";
        }

        return root.TryGetProperty("total", out var total) ? $"total {total.GetInt64():N0}" : "?";
    }

    /// <summary>The queries, with their values taken from the seeded data (its end, a cursor half-way down, a rare label value).</summary>
    private static List<QuerySpec> Queries(string database, SeededHistory seeded)
    {
        var anchor = seeded.AnchorMs;
        var weekAgo = anchor - (7 * 86_400_000L);
        var (cursorStartsAt, cursorId) = RowAt(database, seeded.Rows / 2);
        var deep = $"deep cursor page (row {seeded.Rows / 2:N0})";
        return
        [
            new("list: first page, no filter", false),
            new("list: status=firing & severity=critical", false, Status: "firing", Severity: "critical"),
            new("list: status=resolved & severity=warning", false, Status: "resolved", Severity: "warning"),
            new("list: filter=team=\"payments\" (common label)", false, Filters: ["team=\"payments\""]),
            new("list: filter=instance=\"host-042:9100\" (rare label)", false, Filters: ["instance=\"host-042:9100\""]),
            new("list: alertname=DiskAlmostFull (column)", false, Alertname: "DiskAlmostFull"),
            new("list: one-hour window 7 days ago", false, FromMs: weekAgo - 3_600_000, ToMs: weekAgo),
            new("list: " + deep, false, After: new AlertCursor(cursorStartsAt, cursorId)),
            new("list: " + deep + " & severity=critical", false, Severity: "critical", After: new AlertCursor(cursorStartsAt, cursorId)),
            new("stats: all time", true),
            new("stats: last 24 hours", true, FromMs: anchor - 86_400_000, ToMs: anchor),
            new("stats: one-hour window 7 days ago", true, FromMs: weekAgo - 3_600_000, ToMs: weekAgo),
            new("stats: severity=critical, last 7 days", true, Severity: "critical", FromMs: weekAgo, ToMs: anchor),
        ];
    }

    private static (long StartsAtMs, long Id) RowAt(string database, int offset)
    {
        using var connection = OpenReadOnly(database);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT starts_at_ms, id FROM alert_occurrences ORDER BY starts_at_ms DESC, id DESC LIMIT 1 OFFSET $offset";
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The query's SQL run in this process on the server's file (a WAL reader: it does not disturb the server), and its plan.</summary>
    private static DirectFigures DirectSql(string database, QuerySpec query)
    {
        using var connection = OpenReadOnly(database);
        var (sql, parameters) = query.Sql();
        for (var i = 0; i < query.Matchers.Count; i++)
        {
            var matcher = query.Matchers[i];
            connection.CreateFunction<string?, bool>($"matcher{i}", value => matcher.Matches(value ?? ""), isDeterministic: true);
        }

        var plan = new List<string>();
        using (var explain = connection.CreateCommand())
        {
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value);
            }

            using var reader = explain.ExecuteReader();
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var ticks = new List<long>();
        for (var run = 0; run <= DirectRuns; run++)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var started = Stopwatch.GetTimestamp();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    for (var c = 0; c < reader.FieldCount; c++)
                    {
                        _ = reader.GetValue(c);
                    }
                }
            }

            if (run > 0)
            {
                ticks.Add(Stopwatch.GetTimestamp() - started); // run 0 warms the page cache
            }
        }

        return new DirectFigures(Percentiles.OfTicks(ticks), plan);
    }

    /// <summary>
    /// Bytes per table and index, largest first, from SQLite's dbstat table. The SQLite bundled with Microsoft.Data.Sqlite
    /// lacks dbstat, so this asks the sqlite3 command-line tool when it is installed (read-only: immutable=1); empty otherwise.
    /// </summary>
    private static async Task<List<(string Name, long Bytes)>> TableSizesAsync(string database, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("file:" + database + "?immutable=1");
        start.ArgumentList.Add("SELECT name || '|' || sum(pgsize) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC");
        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode != 0 ? [] : output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('|'))
                .Where(parts => parts.Length == 2 && long.TryParse(parts[1], CultureInfo.InvariantCulture, out _))
                .Select(parts => (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture)))
                .ToList();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return []; // no sqlite3 on the PATH
        }
    }

    private static TimeSpan Execute(string database, string sql)
    {
        var started = Stopwatch.GetTimestamp();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql + "; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private static SqliteConnection OpenReadOnly(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Print(BenchOptions options, SeededHistory seeded, List<(string Name, long Bytes)> sizes, List<QueryRow> rows, long? peakRss)
    {
        Console.WriteLine();
        Console.WriteLine($"## History queries ({seeded.Rows:N0} occurrences)");
        Console.WriteLine();
        MarkdownTable.Print(
            ["query", "in flight", "load avg", "requests", "p50 ms", "p99 ms", "max ms", "req/s", "result", "bytes", "SQL alone p50 ms", "p99 < 50 ms"],
            rows.Select(r => (IReadOnlyList<string>)
            [
                r.Query.Name, Cells.Int(r.Concurrency), r.LoadAverage, Cells.Int(r.Figures.Latency.Count),
                Cells.Ms(r.Figures.Latency.P50), Cells.Ms(r.Figures.Latency.P99), Cells.Ms(r.Figures.Latency.Max), Cells.Fixed(r.Figures.RequestsPerSecond, 0),
                r.Figures.Results, Cells.Int(r.Figures.Bytes), Cells.Ms(r.Direct.Latency.P50),
                r.Figures.Failures > 0 ? $"{r.Figures.Failures} FAILED" : r.Figures.Latency.P99 < TargetP99Ms ? "met" : "MISSED",
            ]));
        Console.WriteLine();
        Console.WriteLine($"Database: {Cells.Mib(seeded.Bytes)} MiB for {seeded.Rows:N0} occurrences = {seeded.Bytes / (double)seeded.Rows:F0} bytes per occurrence "
            + $"({seeded.Events / (double)seeded.Rows:F2} events each; {seeded.Firing:N0} firing); seeded with {seeded.Method}"
            + $"{(seeded.FromCache ? $", cached from {seeded.SeededAt:yyyy-MM-dd HH:mm} UTC" : "")}; data ends at {DateTimeOffset.FromUnixTimeMilliseconds(seeded.AnchorMs):yyyy-MM-dd HH:mm} UTC.");
        if (sizes.Count > 0)
        {
            Console.WriteLine("By table and index (sqlite3 dbstat), bytes per occurrence: " + string.Join(", ", sizes.Where(s => s.Bytes >= 1 << 20).Select(s =>
                $"{s.Name} {s.Bytes / (double)seeded.Rows:F0}")));
        }

        Console.WriteLine($"Server: retention off (RetainDays=0), synchronous {options.Synchronous[0]}, peak RSS {Cells.Mib(peakRss)} MiB. "
            + $"{options.QueryWarmup} uncounted requests per query first; at most {options.QueryRequests} measured or {options.QueryBudget.TotalSeconds:F0} s.");
        Console.WriteLine($"\"SQL alone\": the equivalent statement (a copy of AlertQueries') run {DirectRuns} times in the bench on the server's file, after one uncounted run.");
        Console.WriteLine();
        Console.WriteLine("### Query plans (EXPLAIN QUERY PLAN of the equivalent SQL)");
        Console.WriteLine();
        foreach (var group in rows.GroupBy(r => r.Query.Name))
        {
            var row = group.First();
            Console.WriteLine($"- {row.Query.Name} ({Cells.Ms(row.Direct.Latency.P50)} ms): {string.Join("; ", row.Direct.Plan)}");
            Console.WriteLine($"    {row.Query.PathAndQuery}");
        }
    }

    /// <summary>One query: its HTTP form and the SQL AlertQueries runs for it.</summary>
    private sealed record QuerySpec(
        string Name,
        bool Stats,
        string? Status = null,
        string? Severity = null,
        string? Alertname = null,
        long? FromMs = null,
        long? ToMs = null,
        string[]? Filters = null,
        AlertCursor? After = null)
    {
        // AlertQueries.Columns
        private const string Columns = """
            id AS Id, fingerprint AS Fingerprint, status AS Status, labels AS Labels, annotations AS Annotations,
            starts_at_ms AS StartsAtMs, ends_at_ms AS EndsAtMs, generator_url AS GeneratorUrl, receiver AS Receiver,
            group_key AS GroupKey, external_url AS ExternalUrl, received_at_ms AS ReceivedAtMs, updated_at_ms AS UpdatedAtMs,
            severity AS Severity, receivers AS Receivers, inhibited_by AS InhibitedBy, acked_by AS AckedBy, ack_comment AS AckComment,
            acked_at_ms AS AckedAtMs, ack_expires_at_ms AS AckExpiresAtMs
            """;

        public IReadOnlyList<Matcher> Matchers { get; } = (Filters ?? []).Select(MatcherParser.ParseMatcher).ToList();

        public string PathAndQuery
        {
            get
            {
                var query = new List<string>();
                Add("status", Status);
                Add("severity", Severity);
                Add("alertname", Alertname);
                Add("from", FromMs is { } from ? Seconds(from) : null);
                Add("to", ToMs is { } to ? Seconds(to) : null);
                foreach (var filter in Filters ?? [])
                {
                    Add("filter", filter);
                }

                Add("cursor", After?.Encode());
                return (Stats ? "api/alerts/stats" : "api/alerts") + (query.Count > 0 ? "?" + string.Join("&", query) : "");

                void Add(string name, string? value)
                {
                    if (value is not null)
                    {
                        query.Add(name + "=" + Uri.EscapeDataString(value));
                    }
                }

                static string Seconds(long ms) => (ms / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
            }
        }

        /// <summary>The statement AlertQueries.ListAsync or StatsAsync builds for these filters (AppendFilters, in its order).</summary>
        public (string Sql, List<(string Name, object Value)> Parameters) Sql()
        {
            var where = new StringBuilder("WHERE 1 = 1");
            var parameters = new List<(string, object)>();
            if (Status is not null)
            {
                where.Append(" AND status = @Status");
                parameters.Add(("@Status", Status));
            }

            if (Severity is not null)
            {
                where.Append(" AND severity = @Severity");
                parameters.Add(("@Severity", Severity));
            }

            if (Alertname is not null)
            {
                where.Append(" AND alertname = @Alertname");
                parameters.Add(("@Alertname", Alertname));
            }

            if (ToMs is { } to)
            {
                where.Append(" AND starts_at_ms <= @ToMs");
                parameters.Add(("@ToMs", to));
            }

            if (FromMs is { } from)
            {
                where.Append(" AND (ends_at_ms IS NULL OR ends_at_ms >= @FromMs)");
                parameters.Add(("@FromMs", from));
            }

            for (var i = 0; i < Matchers.Count; i++)
            {
                where.Append(CultureInfo.InvariantCulture, $" AND matcher{i}(json_extract(labels, @MatcherPath{i}))");
                parameters.Add(($"@MatcherPath{i}", $"$.\"{Matchers[i].Name}\""));
            }

            if (Stats && FromMs is null && Alertname is null && Matchers.Count == 0 && ToMs is null or >= 3_600_000)
            {
                // What AlertQueries runs for such a filter since the hourly rollup (StatsRollup): its rows, and the partial hour before `to`.
                var rollupWhere = where.ToString().Replace(" AND starts_at_ms <= @ToMs", " AND hour < @ToMs / 3600000", StringComparison.Ordinal);
                var edge = ToMs is null ? "" : $"""

                    UNION ALL
                    SELECT status, severity, count(*), sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END)
                    FROM alert_occurrences {where} AND starts_at_ms >= @ToMs / 3600000 * 3600000
                    GROUP BY status, severity
                    """;
                return ($"""
                    SELECT status AS Status, severity AS Severity, sum(occurrences) AS Count, sum(resolve_ms_sum) AS ResolveMsSum
                    FROM alert_stats_hourly {rollupWhere}
                    GROUP BY status, severity HAVING sum(occurrences) > 0{edge}
                    """, parameters);
            }

            if (Stats)
            {
                return ($"""
                    SELECT status AS Status, severity AS Severity, count(*) AS Count,
                           sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END) AS ResolveMsSum
                    FROM alert_occurrences {where}
                    GROUP BY status, severity
                    """, parameters);
            }

            if (After is { } after)
            {
                where.Append(" AND (starts_at_ms < @AfterStartsAtMs OR (starts_at_ms = @AfterStartsAtMs AND id < @AfterId))");
                parameters.Add(("@AfterStartsAtMs", after.StartsAtMs));
                parameters.Add(("@AfterId", after.Id));
            }

            parameters.Add(("@Take", AlertQuery.DefaultLimit + 1));
            return ($"SELECT {Columns} FROM alert_occurrences {where} ORDER BY starts_at_ms DESC, id DESC LIMIT @Take", parameters);
        }
    }

    private sealed record QueryFigures(Percentiles Latency, double RequestsPerSecond, int Failures, string Results, long Bytes);

    private sealed record DirectFigures(Percentiles Latency, IReadOnlyList<string> Plan);

    private sealed record QueryRow(QuerySpec Query, int Concurrency, string LoadAverage, QueryFigures Figures, DirectFigures Direct);
}

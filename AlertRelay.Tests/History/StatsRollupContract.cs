using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using CsCheck;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.History;

/// <summary>
/// The hourly stats rollup (<c>alert_stats_hourly</c>) on every engine: after random sequences of ingest (new occurrences, resolves,
/// re-fires that supersede, late copies, re-opens), severity changes and retention purges it equals a full recount of the
/// occurrences, and the stats it answers equal the stats counted from the rows.
/// </summary>
public abstract class StatsRollupContract : StoreContract
{
    private const long HourMs = 3_600_000;
    private static readonly string[] Severities = ["critical", "warning", "info", ""];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
    private readonly IdentityIndex _identities = new();
    private readonly Dictionary<string, int> _reached = [];
    private int _runs;

    /// <summary>What the scan (every filter, no rollup) counts for <paramref name="query"/>.</summary>
    protected abstract Task<AlertStats> ScanAsync(AlertQuery query);

    /// <summary>0 fire, 1 resolve, 2 severity set (as an escalation step does), 3 retention pass.</summary>
    private sealed record Op(int Kind, int Instance, int Severity, int StartsAgoMinutes, int EndsAfterMinutes, int AdvanceMinutes);

    private static readonly Gen<Op> OpGen = Gen.Select(
        Gen.Frequency((5, Gen.Const(0)), (4, Gen.Const(1)), (1, Gen.Const(2)), (1, Gen.Const(3))),
        Gen.Int[0, 2], Gen.Int[0, Severities.Length - 1], Gen.Int[0, 300], Gen.Int[0, 240], Gen.Int[0, 180],
        (kind, instance, severity, startsAgo, endsAfter, advance) => new Op(kind, instance, severity, startsAgo, endsAfter, advance));

    private static readonly Gen<Op[]> Sequences = OpGen.Array[1, 25];

    [Fact]
    public async Task Rollup_EqualsAFullRecount_AfterRandomIngestResolvePurgeSequences()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, identities: _identities));
        var retention = Store.CreateRetention(_time, new HistoryOptions { RetainDays = 1, BatchSize = 3, PauseMilliseconds = 0 }, _identities);

        await Sequences.SampleAsync(ops => RunAsync(running, retention, ops), iter: Store.Engine == "sqlite" ? 150 : 40, threads: 1,
            print: ops => string.Join("\n", ops.Select(o => o.ToString())));

        // The sequences must have reached every way the rollup changes, or the property proves little.
        foreach (var change in new[] { "inserted", "resolved", "superseded", "severity set", "purged" })
        {
            Assert.True(_reached.GetValueOrDefault(change) > 0, $"no sequence reached \"{change}\"");
        }
    }

    private async Task RunAsync(RunningWriter running, IHistoryRetention retention, Op[] ops)
    {
        var run = $"r{Interlocked.Increment(ref _runs)}";
        var lastStart = new Dictionary<(int, int), DateTimeOffset>();
        foreach (var op in ops)
        {
            var before = await CountsAsync();
            switch (op.Kind)
            {
                case 0 or 1:
                    var labels = LabelSet.From(("alertname", "Rollup"), ("instance", $"i{op.Instance}"), ("severity", Severities[op.Severity]), ("run", run));
                    // Odd milliseconds, so that occurrences fall anywhere in their hour, edges included.
                    var startsAt = _time.GetUtcNow().AddMinutes(-op.StartsAgoMinutes).AddMilliseconds(-op.EndsAfterMinutes * 7);
                    var resolved = op.Kind == 1;
                    if (resolved && op.StartsAgoMinutes % 3 != 0 && lastStart.TryGetValue((op.Instance, op.Severity), out var last))
                    {
                        startsAt = last; // resolve what fired (otherwise a resolved copy of an occurrence never seen firing)
                    }

                    lastStart[(op.Instance, op.Severity)] = startsAt;
                    var alert = new Alert(Fingerprint.Of(labels), resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels, LabelSet.Empty,
                        startsAt, resolved ? startsAt.AddMinutes(op.EndsAfterMinutes) : null, "");
                    await running.SubmitAsync(new WebhookMessage("relay", alert.Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [alert]));
                    break;
                case 2:
                    await using (var connection = Store.Open())
                    {
                        await connection.ExecuteAsync(
                            "UPDATE alert_occurrences SET severity = @Severity WHERE id = (SELECT id FROM alert_occurrences ORDER BY id LIMIT 1 OFFSET @Skip)",
                            new { Severity = Severities[op.Severity], Skip = op.StartsAgoMinutes % Math.Max(1, before.Total) });
                    }

                    break;
                default:
                    await retention.RunOnceAsync(CancellationToken.None);
                    break;
            }

            var after = await CountsAsync();
            Note(after.Total > before.Total, "inserted");
            Note(after.Resolved > before.Resolved && after.Total == before.Total, "resolved");
            Note(after.Superseded > before.Superseded, "superseded");
            Note(op.Kind == 2 && after.Severities != before.Severities, "severity set");
            Note(after.Total < before.Total, "purged");
            _time.Advance(TimeSpan.FromMinutes(op.AdvanceMinutes));
        }

        await AssertRollupEqualsRecountAsync();
    }

    private void Note(bool happened, string change)
    {
        if (happened)
        {
            _reached[change] = _reached.GetValueOrDefault(change) + 1;
        }
    }

    private async Task<(long Total, long Resolved, long Superseded, string Severities)> CountsAsync()
    {
        await using var connection = Store.Open();
        var (total, resolved) = await connection.QuerySingleAsync<(long, long)>(
            "SELECT count(*), coalesce(sum(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) FROM alert_occurrences");
        var superseded = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_events WHERE detail LIKE '%superseded%'");
        var severities = string.Join(",", await connection.QueryAsync<string>("SELECT severity FROM alert_occurrences ORDER BY id"));
        return (total, resolved, superseded, severities);
    }

    private async Task AssertRollupEqualsRecountAsync()
    {
        await using var connection = Store.Open();
        var rollup = (await connection.QueryAsync<(long, string, string, long, long)>(
            "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly WHERE occurrences <> 0 OR resolve_ms_sum <> 0 ORDER BY 1, 2, 3")).ToList();
        var recount = (await connection.QueryAsync<(long, string, string, long, long)>(
            """
            SELECT starts_at_ms / 3600000, status, severity, count(*), coalesce(sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END), 0)
            FROM alert_occurrences GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
            """)).ToList();
        Assert.Equal(recount, rollup);

        var now = _time.GetUtcNow();
        AlertQuery[] queries =
        [
            new(), new() { Status = AlertStatus.Firing }, new() { Status = AlertStatus.Resolved }, new() { Severity = "warning" },
            new() { To = now.AddMinutes(-95).AddMilliseconds(-1234) }, new() { To = now.AddHours(-2), Status = AlertStatus.Resolved },
            new() { To = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / HourMs * HourMs), Severity = "critical" },
        ];
        foreach (var query in queries)
        {
            AssertSameStats(query, await ScanAsync(query), await Store.Queries.StatsAsync(query, default));
        }
    }

    private static void AssertSameStats(AlertQuery query, AlertStats expected, AlertStats actual)
    {
        var why = $"{query}: scan {Show(expected)}, rollup {Show(actual)}";
        Assert.True(Show(expected) == Show(actual), why);
    }

    private static string Show(AlertStats s) =>
        $"total {s.Total}, {string.Join(" ", s.ByStatus.Select(p => $"{p.Key}={p.Value}"))}, {string.Join(" ", s.BySeverity.Select(p => $"{p.Key}={p.Value}"))}, " +
        $"resolved {s.Resolved}, mean {s.MeanTimeToResolveSeconds}";

    [Fact]
    public async Task StatsAsync_CountsThePartialHourBeforeToFromTheRows()
    {
        // Two occurrences in the hour of `to`: one before it (counted), one after it (not); and one an hour earlier (from the rollup).
        var hour = new DateTimeOffset(2026, 11, 25, 5, 0, 0, TimeSpan.Zero);
        await using (var running = new RunningWriter(Store.CreateWriter(_time, identities: _identities)))
        {
            Alert Firing(string instance, DateTimeOffset startsAt)
            {
                var labels = LabelSet.From(("alertname", "Edge"), ("instance", instance), ("severity", "warning"));
                return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, startsAt, null, "");
            }

            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Firing("a", hour.AddMinutes(-30)), Firing("b", hour.AddMinutes(10)), Firing("c", hour.AddMinutes(50))]));
        }

        var stats = await Store.Queries.StatsAsync(new AlertQuery { To = hour.AddMinutes(20) }, default);

        Assert.Equal(2, stats.Total);
        Assert.Equal(2, stats.BySeverity["warning"]);
        Assert.Equal(1, (await Store.Queries.StatsAsync(new AlertQuery { To = hour }, default)).Total);
    }

    [Fact]
    public async Task Rollup_DropsAnHoursRows_WhenRetentionEmptiesIt()
    {
        await using (var connection = Store.Open())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (1, 3600000, 3660000, 'resolved', 'info', '{}', '{}', 1, 1), (2, 3600001, NULL, 'firing', 'info', '{}', '{}', 1, 1)
                """);
            await connection.ExecuteAsync("UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = 3700001 WHERE fingerprint = 2");
            Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_stats_hourly WHERE hour = 1"));
        }

        var purged = await Store.CreateRetention(_time, new HistoryOptions { RetainDays = 1, BatchSize = 10, PauseMilliseconds = 0 }, _identities)
            .RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, purged.Occurrences);
        await using var check = Store.Open();
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_stats_hourly"));
    }
}

public sealed class StatsRollupOnSqlite : StatsRollupContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();

    protected override Task<AlertStats> ScanAsync(AlertQuery query) =>
        new AlertQueries(((SqliteTestStore)Store).Database).ScanStatsAsync(query, default);
}

public sealed class StatsRollupOnPostgres : StatsRollupContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();

    protected override Task<AlertStats> ScanAsync(AlertQuery query) =>
        new PostgresAlertQueries(((PostgresTestStore)Store).Database).ScanStatsAsync(query, default);
}

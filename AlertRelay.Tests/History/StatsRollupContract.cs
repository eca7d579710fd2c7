using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Escalation;
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
/// re-fires that supersede, late copies, re-open candidates and the pass confirming them), severity changes by escalation steps
/// and retention purges it equals a full recount of the occurrences, and the stats it answers equal the stats counted from the rows.
/// Every change goes through the code that makes it in production: the rollup is kept by those writers, not by triggers (bar deletes).
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

    /// <summary>0 fire, 1 resolve, 2 severity set by an escalation step, 3 retention pass, 4 the pass confirming due re-opens.</summary>
    private sealed record Op(int Kind, int Instance, int Severity, int StartsAgoMinutes, int EndsAfterMinutes, int AdvanceMinutes);

    private static readonly Gen<Op> OpGen = Gen.Select(
        Gen.Frequency((5, Gen.Const(0)), (4, Gen.Const(1)), (1, Gen.Const(2)), (1, Gen.Const(3)), (1, Gen.Const(4))),
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
        foreach (var change in new[] { "inserted", "resolved", "superseded", "severity set", "purged", "re-opened" })
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
                    if ((resolved ? op.StartsAgoMinutes % 3 != 0 : op.StartsAgoMinutes % 4 == 1)
                        && lastStart.TryGetValue((op.Instance, op.Severity), out var last))
                    {
                        // Resolve what fired (otherwise a resolved copy of an occurrence never seen firing), or fire what resolved (a
                        // re-open candidate, confirmed by a later pass).
                        startsAt = last;
                    }

                    lastStart[(op.Instance, op.Severity)] = startsAt;
                    var alert = new Alert(Fingerprint.Of(labels), resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels, LabelSet.Empty,
                        startsAt, resolved ? startsAt.AddMinutes(op.EndsAfterMinutes) : null, "");
                    await running.SubmitAsync(new WebhookMessage("relay", alert.Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [alert]));
                    break;
                case 2:
                    await SetSeverityByEscalationAsync(Severities[op.Severity], op.StartsAgoMinutes % Math.Max(1, before.Total));
                    break;
                case 3:
                    await retention.RunOnceAsync(CancellationToken.None);
                    break;
                default:
                    await running.Pipeline.ConfirmDueReopensAsync(CancellationToken.None);
                    break;
            }

            var after = await CountsAsync();
            Note(after.Total > before.Total, "inserted");
            Note(after.Resolved > before.Resolved && after.Total == before.Total, "resolved");
            Note(after.Superseded > before.Superseded, "superseded");
            Note(op.Kind == 2 && after.Severities != before.Severities, "severity set");
            Note(after.Total < before.Total, "purged");
            Note(after.Resolved < before.Resolved && after.Total == before.Total, "re-opened");
            _time.Advance(TimeSpan.FromMinutes(op.AdvanceMinutes));
        }

        await AssertRollupEqualsRecountAsync();
    }

    /// <summary>
    /// An escalation step that sets the severity (<see cref="EscalationPlan.Severity"/>) of the <paramref name="skip"/>-th occurrence,
    /// run by the escalation store: its ladder is made due by hand (the ladder is no rollup column), the step by the store.
    /// </summary>
    private async Task SetSeverityByEscalationAsync(string severity, long skip)
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await using (var connection = Store.Open())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO escalations (occurrence_id, policy, firing_since_ms, next_due_ms, updated_at_ms)
                SELECT id, 'rollup', starts_at_ms, @Now, @Now FROM alert_occurrences ORDER BY id LIMIT 1 OFFSET @Skip
                ON CONFLICT (occurrence_id) DO UPDATE SET next_due_ms = excluded.next_due_ms
                """, new { Now = nowMs, Skip = skip });
        }

        await Store.Escalations.RunDueAsync(nowMs, 10, due => EscalationPlan.Stop(due) with { Severity = severity }, CancellationToken.None);
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
    public async Task Rollup_TakesBackTheChangesOfAMessage_WhenTheStoreMakesTheWriterPlanItAgain()
    {
        static Alert Make(string instance, AlertStatus status, DateTimeOffset startsAt) =>
            new(Fingerprint.Of(Labels(instance)), status, Labels(instance), LabelSet.Empty, startsAt,
                status == AlertStatus.Resolved ? startsAt.AddMinutes(5) : null, "");
        static LabelSet Labels(string instance) => LabelSet.From(("alertname", "Behind"), ("instance", instance), ("severity", "warning"));
        static WebhookMessage Message(params Alert[] alerts) => new("relay", alerts[^1].Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", alerts);

        var startsAt = _time.GetUtcNow().AddMinutes(-30);
        await using var running = new RunningWriter(Store.CreateWriter(_time, identities: _identities));
        await running.SubmitAsync(Message(Make("known", AlertStatus.Firing, startsAt)));

        // An occurrence stored behind the writer's back (counted in the rollup by hand, as such SQL must since SQLite 14 / PostgreSQL 8):
        // the writer plans its resolve as a new occurrence, the insert conflicts, and the message (with the new alert before it) is
        // taken back and planned again.
        await using (var connection = Store.Open())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, alertname, severity, labels, annotations, received_at_ms, updated_at_ms)
                VALUES (@Fingerprint, @StartsAtMs, 'firing', 'Behind', 'warning', '{"alertname":"Behind","instance":"behind","severity":"warning"}', '{}', @StartsAtMs, @StartsAtMs);
                INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum) VALUES (@StartsAtMs / 3600000, 'firing', 'warning', 1, 0)
                ON CONFLICT (hour, status, severity) DO UPDATE SET occurrences = alert_stats_hourly.occurrences + 1;
                """, new { Fingerprint = Fingerprint.Of(Labels("behind")).ToInt64(), StartsAtMs = startsAt.ToUnixTimeMilliseconds() });
        }

        await Task.WhenAll(running.SubmitAsync(Message(Make("new", AlertStatus.Firing, startsAt), Make("behind", AlertStatus.Resolved, startsAt))),
            running.SubmitAsync(Message(Make("known", AlertStatus.Resolved, startsAt))));

        await using (var check = Store.Open())
        {
            Assert.Equal((3, 2), await check.QuerySingleAsync<(long, long)>(
                "SELECT count(*), coalesce(sum(CASE WHEN status = 'resolved' THEN 1 ELSE 0 END), 0) FROM alert_occurrences"));
        }

        await AssertRollupEqualsRecountAsync();
    }

    [Fact]
    public async Task Rollup_DropsAnHoursRows_WhenRetentionEmptiesIt()
    {
        // Hour 1 (01:00 on 1970-01-01): one occurrence stored resolved, one firing and resolved later, which leaves its firing row at 0.
        var hour = DateTimeOffset.FromUnixTimeMilliseconds(HourMs);
        static Alert Make(string instance, DateTimeOffset startsAt, DateTimeOffset? endsAt)
        {
            var labels = LabelSet.From(("alertname", "Old"), ("instance", instance), ("severity", "info"));
            return new Alert(Fingerprint.Of(labels), endsAt is null ? AlertStatus.Firing : AlertStatus.Resolved, labels, LabelSet.Empty, startsAt, endsAt, "");
        }

        static WebhookMessage Message(params Alert[] alerts) =>
            new("relay", alerts[0].Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", alerts);

        await using (var running = new RunningWriter(Store.CreateWriter(_time, identities: _identities)))
        {
            await running.SubmitAsync(Message(Make("a", hour, hour.AddMinutes(1)), Make("b", hour.AddMilliseconds(1), null)));
            await running.SubmitAsync(Message(Make("b", hour.AddMilliseconds(1), hour.AddMilliseconds(100_001))));
        }

        await using (var connection = Store.Open())
        {
            Assert.Equal([("firing", 0L, 0L), ("resolved", 2L, 160_000L)], await connection.QueryAsync<(string, long, long)>(
                "SELECT status, occurrences, resolve_ms_sum FROM alert_stats_hourly WHERE hour = 1 ORDER BY status"));
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

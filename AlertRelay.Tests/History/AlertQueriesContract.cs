using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.History;

/// <summary>The history queries (filters, matchers, keyset pages, statistics), the same on every engine.</summary>
public abstract class AlertQueriesContract : StoreContract, IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    private static Alert Make(string name, string severity, string instance, int startMinute, int? endMinute = null) =>
        MakeAlert(LabelSet.From(("alertname", name), ("severity", severity), ("instance", instance)), startMinute, endMinute);

    private static Alert MakeAlert(LabelSet labels, int startMinute, int? endMinute) =>
        new(Fingerprint.Of(labels), endMinute is null ? AlertStatus.Firing : AlertStatus.Resolved, labels,
            LabelSet.From(("summary", "s")), T0.AddMinutes(startMinute), endMinute is { } e ? T0.AddMinutes(e) : null, "");

    // Re-implemented so that xUnit seeds every test's store once StoreContract has made it.
    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await using var running = new RunningWriter(Store.CreateWriter(_time));
        await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g1", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [
            Make("HighErrorRate", "critical", "web-1", 0, 30),
            Make("HighErrorRate", "critical", "web-2", 10),
            Make("HighResponseTime", "warning", "web-1", 20, 80),
            Make("APIDown", "critical", "db-1", 40),
        ]));
        await running.SubmitAsync(new WebhookMessage("email", AlertStatus.Firing, "g2", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [
            Make("LowStock", "info", "shop", 50),
        ]));
    }

    private async Task<string[]> InstancesAsync(AlertQuery query) =>
        (await Store.Queries.ListAsync(query, default)).Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}").ToArray();

    private async Task<List<string>> WalkAsync(AlertQuery query)
    {
        var walked = new List<string>();
        AlertCursor? cursor = null;
        do
        {
            var page = await Store.Queries.ListAsync(query with { After = cursor }, default);
            walked.AddRange(page.Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}"));
            cursor = page.Next;
        }
        while (cursor is not null);
        return walked;
    }

    [Fact]
    public async Task ListAsync_ReturnsNewestFirst()
    {
        Assert.Equal(
            ["LowStock/shop", "APIDown/db-1", "HighResponseTime/web-1", "HighErrorRate/web-2", "HighErrorRate/web-1"],
            await InstancesAsync(new AlertQuery()));
    }

    public static TheoryData<string, AlertQuery, string[]> Filters => new()
    {
        { "status", new AlertQuery { Status = AlertStatus.Resolved }, ["HighResponseTime/web-1", "HighErrorRate/web-1"] },
        { "severity", new AlertQuery { Severity = "critical" }, ["APIDown/db-1", "HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "alertname", new AlertQuery { Alertname = "HighErrorRate" }, ["HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "receiver", new AlertQuery { Receiver = "email" }, ["LowStock/shop"] },
        { "equality matcher", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=\"web-1\"")] }, ["HighResponseTime/web-1", "HighErrorRate/web-1"] },
        { "regex matcher, anchored", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"web-.*\"")] }, ["HighResponseTime/web-1", "HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "regex is not a substring search", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"eb\"")] }, [] },
        { "negative regex", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance!~\"web-.*\"")] }, ["LowStock/shop", "APIDown/db-1"] },
        { "missing label equals empty", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("team=\"\"")] }, ["LowStock/shop", "APIDown/db-1", "HighResponseTime/web-1", "HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "two matchers AND", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("severity=\"critical\""), MatcherParser.ParseMatcher("instance!=\"web-2\"")] }, ["APIDown/db-1", "HighErrorRate/web-1"] },
        { "active in a range: resolved before it are out", new AlertQuery { From = T0.AddMinutes(35), To = T0.AddMinutes(45) }, ["APIDown/db-1", "HighResponseTime/web-1", "HighErrorRate/web-2"] },
        { "active in a range: started after it are out", new AlertQuery { To = T0.AddMinutes(15) }, ["HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "missing label matches an empty regex", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("team=~\"\"")] }, ["LowStock/shop", "APIDown/db-1", "HighResponseTime/web-1", "HighErrorRate/web-2", "HighErrorRate/web-1"] },
        { "missing label never matches .+", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("team=~\".+\"")] }, [] },
        { "regex anchors at the end too", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"web\"")] }, [] },
        { "regex alternation", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("alertname=~\"APIDown|LowStock\"")] }, ["LowStock/shop", "APIDown/db-1"] },
        { "two regexes on one label AND", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"web-.*\""), MatcherParser.ParseMatcher("instance!~\".*-2\"")] }, ["HighResponseTime/web-1", "HighErrorRate/web-1"] },
        { "regex with SQL filters and an equality matcher", new AlertQuery { Status = AlertStatus.Firing, Matchers = [MatcherParser.ParseMatcher("severity=\"critical\""), MatcherParser.ParseMatcher("instance=~\".*-[0-9]\"")] }, ["APIDown/db-1", "HighErrorRate/web-2"] },
        { "not-equal matcher on a missing label", new AlertQuery { Matchers = [MatcherParser.ParseMatcher("team!=\"\"")] }, [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListAsync_AppliesTheFilter(string name, AlertQuery query, string[] expected)
    {
        var actual = await InstancesAsync(query);

        Assert.True(expected.AsEnumerable().SequenceEqual(actual), $"{name}: got {string.Join(", ", actual)}");
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListAsync_WalksTheFilteredOccurrencesPageByPage(string name, AlertQuery query, string[] expected)
    {
        var walked = await WalkAsync(query with { Limit = 1 });

        Assert.True(expected.AsEnumerable().SequenceEqual(walked), $"{name}: got {string.Join(", ", walked)}");
    }

    [Fact]
    public async Task ListAsync_WalksEveryOccurrenceOnceThroughKeysetPages_EvenWhenStartsAtTies()
    {
        // Three more alerts starting at the same instant as APIDown: the id breaks the tie.
        await using (var running = new RunningWriter(Store.CreateWriter(_time)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g3", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Make("Tie", "info", "a", 40), Make("Tie", "info", "b", 40), Make("Tie", "info", "c", 40)]));
        }

        var all = await InstancesAsync(new AlertQuery());
        var walked = new List<string>();
        AlertCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Store.Queries.ListAsync(new AlertQuery { Limit = 2, After = cursor }, default);
            walked.AddRange(page.Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}"));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(8, all.Length);
        Assert.Equal(all, walked);
        Assert.Equal(4, pages);
    }

    [Fact]
    public async Task ListAsync_FindsRegexMatchesFarApart_AndEndsWithoutACursorAfterTheLastOne()
    {
        // 300 occurrences the regex rejects between the two it accepts: a store that filters in chunks must read past them.
        await using (var running = new RunningWriter(Store.CreateWriter(_time)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g4", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [.. Enumerable.Range(0, 300).Select(i => Make("Noise", "info", $"n-{i}", 60)), Make("Needle", "info", "needle-1", 61), Make("Needle", "info", "needle-2", 59)]));
        }

        var query = new AlertQuery { Limit = 1, Matchers = [MatcherParser.ParseMatcher("instance=~\"needle-.*\"")] };
        var first = await Store.Queries.ListAsync(query, default);
        var second = await Store.Queries.ListAsync(query with { After = first.Next }, default);

        Assert.Equal(["needle-1"], first.Items.Select(a => a.Labels["instance"]));
        Assert.Equal(["needle-2"], second.Items.Select(a => a.Labels["instance"]));
        Assert.Null(second.Next);
        Assert.Equal(5 + 302, (await Store.Queries.StatsAsync(new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\".+\"")] }, default)).Total);
    }

    [Fact]
    public async Task ListAsync_ReturnsTheStoredFields()
    {
        var alert = Assert.Single((await Store.Queries.ListAsync(new AlertQuery { Status = AlertStatus.Resolved, Alertname = "HighErrorRate" }, default)).Items);

        Assert.Equal(Fingerprint.Of(LabelSet.From(("alertname", "HighErrorRate"), ("severity", "critical"), ("instance", "web-1"))), alert.Fingerprint);
        Assert.Equal(LabelSet.From(("alertname", "HighErrorRate"), ("severity", "critical"), ("instance", "web-1")), alert.Labels);
        Assert.Equal(LabelSet.From(("summary", "s")), alert.Annotations);
        Assert.Equal(T0, alert.StartsAt);
        Assert.Equal(T0.AddMinutes(30), alert.EndsAt);
        Assert.Equal("relay", alert.Receiver);
        Assert.Equal("g1", alert.GroupKey);
        Assert.Equal("critical", alert.Severity);
        Assert.Null(alert.Ack);
        Assert.Null(alert.InhibitedBy);
    }

    [Fact]
    public async Task GetAsync_ReturnsTheOccurrenceWithItsTimeline()
    {
        var id = (await Store.Queries.ListAsync(new AlertQuery { Status = AlertStatus.Resolved, Alertname = "HighErrorRate" }, default)).Items[0].Id;

        var (alert, events) = (await Store.Queries.GetAsync(id, default))!.Value;

        Assert.Equal("web-1", alert.Labels["instance"]);
        Assert.Equal(T0.AddMinutes(30), alert.EndsAt);
        Assert.Equal([EventKinds.Received, EventKinds.Routed, EventKinds.Resolved], events.Select(e => e.Kind));
        Assert.Contains("\"endsAt\":\"2026-11-24T00:30:00.000Z\"", events[2].DetailJson);
    }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenTheIdIsUnknown()
    {
        Assert.Null(await Store.Queries.GetAsync(999_999, default));
    }

    [Fact]
    public async Task StatsAsync_CountsByStatusAndSeverity_AndAveragesTimeToResolve()
    {
        var stats = await Store.Queries.StatsAsync(new AlertQuery(), default);

        Assert.Equal(5, stats.Total);
        Assert.Equal(3, stats.ByStatus["firing"]);
        Assert.Equal(2, stats.ByStatus["resolved"]);
        Assert.Equal(3, stats.BySeverity["critical"]);
        Assert.Equal(1, stats.BySeverity["warning"]);
        Assert.Equal(1, stats.BySeverity["info"]);
        Assert.Equal(2, stats.Resolved);
        Assert.Equal((30 + 60) / 2.0 * 60, stats.MeanTimeToResolveSeconds);
    }

    [Fact]
    public async Task StatsAsync_OnlyCountsOccurrencesActiveInTheRange()
    {
        var stats = await Store.Queries.StatsAsync(new AlertQuery { From = T0.AddMinutes(31), To = T0.AddMinutes(39) }, default);

        Assert.Equal(2, stats.Total); // HighErrorRate/web-2 (firing) and HighResponseTime/web-1 (resolved at 80)
        Assert.Equal(60 * 60, stats.MeanTimeToResolveSeconds);
    }

    [Fact]
    public async Task StatsAsync_AppliesRegexMatchers()
    {
        var stats = await Store.Queries.StatsAsync(new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"web-.*\"")] }, default);

        Assert.Equal(3, stats.Total);
        Assert.Equal(1, stats.ByStatus["firing"]);
        Assert.Equal(2, stats.ByStatus["resolved"]);
        Assert.Equal(2, stats.BySeverity["critical"]);
        Assert.Equal(1, stats.BySeverity["warning"]);
        Assert.False(stats.BySeverity.ContainsKey("info"));
        Assert.Equal(2, stats.Resolved);
        Assert.Equal((30 + 60) / 2.0 * 60, stats.MeanTimeToResolveSeconds);
    }

    [Fact]
    public async Task StatsAsync_AppliesEveryKindOfMatcherTogether()
    {
        var stats = await Store.Queries.StatsAsync(new AlertQuery
        {
            Matchers =
            [
                MatcherParser.ParseMatcher("severity!=\"info\""), MatcherParser.ParseMatcher("instance!~\"web-2\""),
                MatcherParser.ParseMatcher("alertname=~\"High.*\""), MatcherParser.ParseMatcher("team=\"\""),
            ],
        }, default);

        Assert.Equal(2, stats.Total); // HighErrorRate/web-1, HighResponseTime/web-1: both resolved
        Assert.Equal(0, stats.ByStatus["firing"]);
        Assert.Equal(2, stats.Resolved);
        Assert.Equal((30 + 60) / 2.0 * 60, stats.MeanTimeToResolveSeconds);
    }

    [Fact]
    public async Task StatsAsync_IsEmpty_WhenNothingMatches()
    {
        var stats = await Store.Queries.StatsAsync(new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=~\"nowhere\"")] }, default);

        Assert.Equal(0, stats.Total);
        Assert.Equal(0, stats.ByStatus["firing"]);
        Assert.Equal(0, stats.ByStatus["resolved"]);
        Assert.Empty(stats.BySeverity);
        Assert.Null(stats.MeanTimeToResolveSeconds);
    }
}

public sealed class AlertQueriesOnSqlite : AlertQueriesContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();

    [Fact]
    public async Task ListAsync_CanUseAnExpressionIndexOnALabel_ForAnEqualityMatcher()
    {
        // What an operator adds for a label they filter on often (docs/operations.md).
        var database = ((SqliteTestStore)Store).Database;
        await using (var connection = database.Open())
        {
            await connection.ExecuteAsync("""CREATE INDEX ix_label_instance ON alert_occurrences (json_extract(labels, '$."instance"'))""");
        }

        var query = new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=\"web-1\"")] };
        var (sql, parameters) = AlertQueries.ListCommand(query, 100);
        await using var reader = new AlertQueries(database).OpenWithMatchers(query.Matchers);
        var plan = string.Join("; ", (await reader.QueryAsync<(long, long, long, string)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Item4));

        Assert.Contains("ix_label_instance", plan, StringComparison.Ordinal);
        Assert.Equal(["HighResponseTime/web-1", "HighErrorRate/web-1"],
            (await Store.Queries.ListAsync(query, default)).Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}"));
    }
}

public sealed class AlertQueriesOnPostgres : AlertQueriesContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();

    [Fact]
    public async Task ListAsync_CanUseAnExpressionIndexOnALabel_ForAnEqualityMatcher()
    {
        // The PostgreSQL form of the index an operator adds for a label they filter on often.
        var database = ((PostgresTestStore)Store).Database;
        await using var connection = database.Open();
        await connection.ExecuteAsync("CREATE INDEX ix_label_instance ON alert_occurrences ((labels->>'instance'))");
        await connection.ExecuteAsync("SET enable_seqscan = off"); // a handful of rows: the planner would rather read the table

        var query = new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=\"web-1\"")] };
        var (sql, parameters) = PostgresAlertQueries.ListCommand(query, 100);
        var plan = string.Join("; ", await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));

        Assert.Contains("ix_label_instance", plan, StringComparison.Ordinal);
        Assert.Equal(["HighResponseTime/web-1", "HighErrorRate/web-1"],
            (await Store.Queries.ListAsync(query, default)).Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}"));
    }
}

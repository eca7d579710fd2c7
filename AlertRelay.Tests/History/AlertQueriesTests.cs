using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.History;

public sealed class AlertQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(T0);

    private static Alert Make(string name, string severity, string instance, int startMinute, int? endMinute = null) =>
        MakeAlert(LabelSet.From(("alertname", name), ("severity", severity), ("instance", instance)), startMinute, endMinute);

    private static Alert MakeAlert(LabelSet labels, int startMinute, int? endMinute) =>
        new(Fingerprint.Of(labels), endMinute is null ? AlertStatus.Firing : AlertStatus.Resolved, labels,
            LabelSet.From(("summary", "s")), T0.AddMinutes(startMinute), endMinute is { } e ? T0.AddMinutes(e) : null, "");

    public async Task InitializeAsync()
    {
        await using var running = new RunningWriter(_db.CreateWriter(_time));
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

    public Task DisposeAsync()
    {
        _db.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string[]> InstancesAsync(AlertQuery query) =>
        (await _db.Queries.ListAsync(query, default)).Items.Select(a => $"{a.Alertname}/{a.Labels["instance"]}").ToArray();

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
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListAsync_AppliesTheFilter(string name, AlertQuery query, string[] expected)
    {
        var actual = await InstancesAsync(query);

        Assert.True(expected.AsEnumerable().SequenceEqual(actual), $"{name}: got {string.Join(", ", actual)}");
    }

    [Fact]
    public async Task ListAsync_CanUseAnExpressionIndexOnALabel_ForAnEqualityMatcher()
    {
        // What an operator adds for a label they filter on often (docs/operations.md).
        await using (var connection = _db.Database.Open())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, """CREATE INDEX ix_label_instance ON alert_occurrences (json_extract(labels, '$."instance"'))""");
        }

        var query = new AlertQuery { Matchers = [MatcherParser.ParseMatcher("instance=\"web-1\"")] };
        var (sql, parameters) = AlertQueries.ListCommand(query, 100);
        await using var reader = _db.Queries.OpenWithMatchers(query.Matchers);
        var plan = string.Join("; ", (await Dapper.SqlMapper.QueryAsync<(long, long, long, string)>(reader, "EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Item4));

        Assert.Contains("ix_label_instance", plan, StringComparison.Ordinal);
        Assert.Equal(["HighResponseTime/web-1", "HighErrorRate/web-1"], await InstancesAsync(query));
    }

    [Fact]
    public async Task ListAsync_WalksEveryOccurrenceOnceThroughKeysetPages_EvenWhenStartsAtTies()
    {
        // Three more alerts starting at the same instant as APIDown: the id breaks the tie.
        await using (var running = new RunningWriter(_db.CreateWriter(_time)))
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
            var page = await _db.Queries.ListAsync(new AlertQuery { Limit = 2, After = cursor }, default);
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
    public async Task GetAsync_ReturnsTheOccurrenceWithItsTimeline()
    {
        var id = (await _db.Queries.ListAsync(new AlertQuery { Status = AlertStatus.Resolved, Alertname = "HighErrorRate" }, default)).Items[0].Id;

        var (alert, events) = (await _db.Queries.GetAsync(id, default))!.Value;

        Assert.Equal("web-1", alert.Labels["instance"]);
        Assert.Equal(T0.AddMinutes(30), alert.EndsAt);
        Assert.Equal([EventKinds.Received, EventKinds.Routed, EventKinds.Resolved], events.Select(e => e.Kind));
        Assert.Contains("\"endsAt\":\"2026-11-24T00:30:00.000Z\"", events[2].DetailJson);
    }

    [Fact]
    public async Task GetAsync_ReturnsNull_WhenTheIdIsUnknown()
    {
        Assert.Null(await _db.Queries.GetAsync(999_999, default));
    }

    [Fact]
    public async Task StatsAsync_CountsByStatusAndSeverity_AndAveragesTimeToResolve()
    {
        var stats = await _db.Queries.StatsAsync(new AlertQuery(), default);

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
        var stats = await _db.Queries.StatsAsync(new AlertQuery { From = T0.AddMinutes(31), To = T0.AddMinutes(39) }, default);

        Assert.Equal(2, stats.Total); // HighErrorRate/web-2 (firing) and HighResponseTime/web-1 (resolved at 80)
        Assert.Equal(60 * 60, stats.MeanTimeToResolveSeconds);
    }
}

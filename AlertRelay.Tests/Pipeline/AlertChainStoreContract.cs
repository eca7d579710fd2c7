using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Pipeline;

/// <summary>The chain's routing, inhibition and escalation decisions as each store persists them (a real SQLite file; PostgreSQL).</summary>
public abstract class AlertChainStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    private static readonly RelayConfig Config = new(
        new Route("default", [], false, [
            new Route("oncall", [MatcherParser.ParseMatcher("severity=\"critical\"")], true, []) { Path = "route.routes[0]" },
            new Route("team-db", [MatcherParser.ParseMatcher("service=~\"db|cache\"")], false, []) { Path = "route.routes[1]" },
        ]),
        [],
        [
            new InhibitRule([MatcherParser.ParseMatcher("alertname=\"NodeDown\"")], [MatcherParser.ParseMatcher("severity=\"warning\"")], ["instance"])
            {
                Name = "inhibit_rules[0]",
            },
        ],
        [
            new EscalationPolicy("critical-ladder", [MatcherParser.ParseMatcher("severity=\"critical\"")],
                [new EscalationStep(TimeSpan.Zero, "oncall", null), new EscalationStep(TimeSpan.FromMinutes(15), "lead", "page")]),
        ],
        null);

    private static Alert Firing(string alertname, string severity, string instance, string? service = null, int startMinute = 0)
    {
        var labels = service is null
            ? LabelSet.From(("alertname", alertname), ("severity", severity), ("instance", instance))
            : LabelSet.From(("alertname", alertname), ("severity", severity), ("instance", instance), ("service", service));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, T0.AddMinutes(startMinute), null, "");
    }

    private static Alert Resolved(Alert alert, int endMinute) => alert with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(endMinute) };

    private static WebhookMessage Message(params Alert[] alerts) =>
        new("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", alerts);

    private async Task<OccurrenceRecord> AlertAsync(string alertname, string instance) =>
        (await Store.Queries.ListAsync(new AlertQuery { Alertname = alertname, Matchers = [MatcherParser.ParseMatcher($"instance=\"{instance}\"")] }, default)).Items.Single();

    private async Task<string[]> KindsAsync(long id) => (await Store.Queries.GetAsync(id, default))!.Value.Events.Select(e => e.Kind).ToArray();

    [Theory]
    [InlineData("critical", "web", new[] { "oncall" })]
    [InlineData("critical", "db", new[] { "oncall", "team-db" })]
    [InlineData("warning", "cache", new[] { "team-db" })]
    [InlineData("info", "web", new[] { "default" })]
    public async Task Created_RecordsTheReceiversTheRoutingTreeChose(string severity, string service, string[] expected)
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));

        await running.SubmitAsync(Message(Firing("X", severity, "h1", service)));

        var alert = await AlertAsync("X", "h1");
        Assert.Equal(expected, alert.Receivers);
        Assert.Equal(["received", "routed"], (await KindsAsync(alert.Id)).Take(2));
    }

    [Fact]
    public async Task Opened_MutesATarget_WhileItsSourceFires_AndReleasesItWhenTheSourceResolves()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        var source = Firing("NodeDown", "critical", "h1");
        await running.SubmitAsync(Message(source));

        await running.SubmitAsync(Message(Firing("DiskFull", "warning", "h1"), Firing("DiskFull", "warning", "h2")));

        var nodeDown = await AlertAsync("NodeDown", "h1");
        var mutedTarget = await AlertAsync("DiskFull", "h1");
        var otherInstance = await AlertAsync("DiskFull", "h2");
        Assert.Equal(nodeDown.Id, mutedTarget.InhibitedBy);
        Assert.Null(otherInstance.InhibitedBy); // equal: [instance] differs
        Assert.Contains("inhibited", await KindsAsync(mutedTarget.Id));

        await running.SubmitAsync(Message(Resolved(source, 5)));

        var released = await AlertAsync("DiskFull", "h1");
        Assert.Null(released.InhibitedBy);
        Assert.Equal("uninhibited", (await KindsAsync(released.Id))[^1]);
    }

    [Fact]
    public async Task Opened_MutesTargetsAlreadyFiring_WhenTheSourceArrivesLater()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        await running.SubmitAsync(Message(Firing("DiskFull", "warning", "h1")));

        await running.SubmitAsync(Message(Firing("NodeDown", "critical", "h1")));

        Assert.Equal((await AlertAsync("NodeDown", "h1")).Id, (await AlertAsync("DiskFull", "h1")).InhibitedBy);
    }

    [Fact]
    public async Task Inhibition_HoldsAcrossARestartOfTheWriter()
    {
        await using (var first = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            await first.SubmitAsync(Message(Firing("NodeDown", "critical", "h1")));
        }

        // A new pipeline (a restarted relay) learns what is firing from the store.
        await using var second = new RunningWriter(Store.CreateWriter(_time, config: Config));
        await second.SubmitAsync(Message(Firing("DiskFull", "warning", "h1")));

        Assert.Equal((await AlertAsync("NodeDown", "h1")).Id, (await AlertAsync("DiskFull", "h1")).InhibitedBy);
    }

    [Fact]
    public async Task Created_StartsTheMatchingEscalationLadder_AndResolvedStopsIt()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        var critical = Firing("ApiDown", "critical", "h1");

        await running.SubmitAsync(Message(critical, Firing("Slow", "warning", "h1")));

        await using var connection = Store.Open();
        var ladders = (await connection.QueryAsync<(long, string, long?)>(
            "SELECT occurrence_id, policy, next_due_ms FROM escalations")).ToList();
        var (id, policy, nextDue) = Assert.Single(ladders);
        Assert.Equal((await AlertAsync("ApiDown", "h1")).Id, id);
        Assert.Equal("critical-ladder", policy);
        Assert.Equal(UnixMillis.From(T0), nextDue);

        await running.SubmitAsync(Message(Resolved(critical, 3)));

        Assert.Null(await connection.ExecuteScalarAsync<long?>("SELECT next_due_ms FROM escalations WHERE occurrence_id = @id", new { id }));
    }
}

public sealed class AlertChainOnSqlite : AlertChainStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class AlertChainOnPostgres : AlertChainStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

using AlertRelay.Tests.TestData;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.Routing;

namespace AlertRelay.Tests.Configuration;

/// <summary>
/// The documented example, alertrelay.example.yml at the repository root, must load and route as its comments say (that it
/// stays Alertmanager-compatible is checked with amtool in AlertRelay.IntegrationTests' ExampleConfigAmtoolTests).
/// </summary>
public sealed class ExampleConfigTests
{
    [Fact]
    public void Load_Succeeds_ForTheExample()
    {
        var config = RelayConfigLoader.Load(RepositoryFiles.ExampleConfig);

        Assert.Equal(["oncall-slack", "team-email", "lead-email"], config.Receivers.Select(r => r.Name));
        var rule = Assert.Single(config.InhibitRules);
        Assert.Equal(["alertname", "instance"], rule.Equal);
        Assert.Contains(config.Route.Routes, r => r.Continue);
        Assert.NotEmpty(config.Escalations);
        Assert.All(config.Escalations, e => Assert.NotEmpty(e.Steps));
    }

    [Fact]
    public void Load_PagesWhoIsOnCall_AndRoutesHeartbeatMissingToThem_ForTheExample()
    {
        var config = RelayConfigLoader.Load(RepositoryFiles.ExampleConfig);
        var heartbeatMissing = LabelSet.From(("alertname", "HeartbeatMissing"), ("heartbeat", "prometheus"), ("severity", "critical"));

        var schedule = Assert.Single(config.Schedules);
        Assert.Equal("bob", schedule.ShiftAt(DateTimeOffset.Parse("2026-04-04T12:00:00Z")).Participant); // the Easter override
        Assert.Equal("alice", schedule.ShiftAt(DateTimeOffset.Parse("2026-04-02T12:00:00Z")).Participant); // her week, before it
        Assert.Equal(["oncall:primary/alice", "oncall:primary/bob"], config.OncallReceivers.Select(r => r.Name));
        Assert.All(config.OncallReceivers, r => Assert.Single(r.EmailConfigs));
        Assert.Equal(["oncall:primary"], RoutingStage.Receivers(config.Route, heartbeatMissing));
    }

    /// <summary>An alert's labels (name=value) and the receivers the example's comments promise it.</summary>
    public sealed record RouteCase(string Name, string[] Labels, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RouteCase> Routes() =>
    [
        new("critical database alert: on-call, then the lead", ["severity=critical", "team=database", "env=prod"], "oncall-slack,lead-email"),
        new("database warning: the team", ["severity=warning", "team=database", "env=staging"], "team-email"),
        new("critical from dev: on-call, then the team", ["severity=critical", "env=dev"], "oncall-slack,team-email"),
        new("warning from prod, no team: the root", ["severity=warning", "env=prod"], "team-email"),
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public void Receivers_RouteAsTheCommentsSay_ForTheExample(RouteCase testCase)
    {
        var config = RelayConfigLoader.Load(RepositoryFiles.ExampleConfig);
        var labels = LabelSet.From(testCase.Labels.Select(l => l.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1])));

        Assert.Equal(testCase.Expected, string.Join(",", RoutingStage.Receivers(config.Route, labels)));
    }
}

using AlertRelay.Tests.TestData;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;

namespace AlertRelay.IntegrationTests.Routing;

/// <summary>
/// Differential tests: the same Alertmanager-pure configuration is loaded by AlertRelay and by Alertmanager's own
/// <c>amtool config routes test</c> (0.25), and both must resolve every label set to the same receivers.
/// A missing amtool fails these tests (it is installed by scripts/test.sh), it never skips them.
/// </summary>
public sealed class AmtoolDifferentialTests : IClassFixture<AmtoolDifferentialTests.ConfigFile>
{
    // Nested routes, continue on two levels, =~ / != / !~, deprecated match and match_re, a matcher on a missing
    // label, two matchers in one string, and routes without a receiver (inherited).
    private const string AlertmanagerYaml = """
        route:
          receiver: default
          group_by: [alertname]
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
              continue: true
            - match:
                team: database
              receiver: db-team
              routes:
                - match_re:
                    env: prod|production
                  receiver: db-prod
                  routes:
                    - matchers: ['instance=~"db-[0-9]+"', 'maintenance!="true"']
                - matchers: ['env!~"prod|production"']
                  receiver: db-nonprod
                  continue: true
                - matchers: ['severity=~"warning|info"']
                  receiver: db-low
            - matchers: ['team=~"front.*"', 'env!="dev"']
              receiver: frontend
              continue: true
              routes:
                - matchers: ['region=""']
                  receiver: frontend-noregion
                - matchers: ['region=~"eu-.*"']
                  receiver: frontend-eu
            - matchers: ['team=~"front.*"']
              receiver: frontend-all
            - matchers: ['service=~"(api|web)-.*", service!~".*-canary"']
              receiver: services
            - match_re:
                alertname: '.*Latency'
              group_by: ['...']
        receivers:
          - name: default
          - name: pager
          - name: db-team
          - name: db-prod
          - name: db-nonprod
          - name: db-low
          - name: frontend
          - name: frontend-noregion
          - name: frontend-eu
          - name: frontend-all
          - name: services
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [alertname, instance]
        """;

    private readonly ConfigFile _config;

    public AmtoolDifferentialTests(ConfigFile config) => _config = config;

    /// <summary>Labels as amtool takes them on its command line, and the receivers both must print.</summary>
    public sealed record LabelCase(string Name, string[] Labels, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<LabelCase> Cases() =>
    [
        new("no labels: the root", [], "default"),
        new("critical alone: pager, nothing else matches after continue", ["severity=critical"], "pager"),
        new("critical database alert in prod: pager, then db-prod inherited by the leaf", ["severity=critical", "team=database", "env=prod", "instance=db-1"], "pager,db-prod"),
        new("deprecated match_re with alternation", ["team=database", "env=production", "severity=info"], "db-prod"),
        new("leaf does not match (!= on a set label): its parent", ["team=database", "env=prod", "instance=db-1", "maintenance=true"], "db-prod"),
        new("!~ on another value, continue, nothing after", ["team=database", "env=staging"], "db-nonprod"),
        new("!~ then continue to the next sibling", ["team=database", "env=staging", "severity=warning"], "db-nonprod,db-low"),
        new("!~ matches a missing label", ["team=database"], "db-nonprod"),
        new("deprecated match is case-sensitive", ["team=Database"], "default"),
        new("=\"\" matches a missing label, then continue", ["team=frontend", "env=prod"], "frontend-noregion,frontend-all"),
        new("regex child, then continue", ["team=frontend", "env=prod", "region=eu-west-1"], "frontend-eu,frontend-all"),
        new("no child matches: the continuing parent, then the sibling", ["team=frontend", "env=prod", "region=us-east-1"], "frontend,frontend-all"),
        new("!= excludes: only the second frontend route", ["team=frontend", "env=dev"], "frontend-all"),
        new("an empty label value is a missing label", ["team=frontend-v2", "region="], "frontend-noregion,frontend-all"),
        new("two matchers in one string: match", ["service=api-gateway"], "services"),
        new("two matchers in one string: !~ excludes", ["service=api-canary"], "default"),
        new("critical and a service: pager then services", ["service=web-1", "severity=critical"], "pager,services"),
        new("critical frontend: three receivers", ["severity=critical", "team=frontend", "env=prod", "region=eu-1"], "pager,frontend-eu,frontend-all"),
        new("route without a receiver inherits the root's", ["alertname=\"High Latency\""], "default"),
        new("quoted label values as amtool parses them", ["alertname=\"Disk, Full\"", "team=\"database\"", "env=\"prod\""], "db-prod"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Receivers_EqualAmtoolRoutesTest_ForEachLabelSet(LabelCase testCase)
    {
        var amtool = await DebianTool.Amtool.RunAsync(["config", "routes", "test", $"--config.file={_config.Path}", .. testCase.Labels]);
        Assert.True(amtool.ExitCode == 0, $"amtool failed ({amtool.ExitCode}):\n{amtool.StandardOutput}\n{amtool.StandardError}");

        var config = RelayConfigLoader.Load(_config.Path);
        var labels = LabelSet.From(testCase.Labels.Select(MatcherParser.ParseMatcher).Select(m => KeyValuePair.Create(m.Name, m.Value)));
        var ours = string.Join(",", RoutingStage.Receivers(config.Route, labels));

        Assert.Equal(amtool.StandardOutput.TrimEnd('\n'), ours);
        Assert.Equal(testCase.Expected, ours);
    }

    [Fact]
    public async Task AmtoolCheckConfig_Accepts_TheDifferentialConfig()
    {
        var amtool = await DebianTool.Amtool.RunAsync("check-config", _config.Path);

        Assert.True(amtool.ExitCode == 0, $"amtool check-config failed:\n{amtool.StandardOutput}\n{amtool.StandardError}");
        Assert.Equal(11, RelayConfigLoader.Load(_config.Path).Receivers.Count);
    }

    /// <summary>The Alertmanager-pure configuration in a temporary file, shared by the tests of the class.</summary>
    public sealed class ConfigFile : IDisposable
    {
        public ConfigFile() => Path = RepositoryFiles.WriteTemp(AlertmanagerYaml, "alertmanager.yml");

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}

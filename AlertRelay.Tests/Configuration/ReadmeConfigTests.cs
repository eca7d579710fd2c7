using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;

namespace AlertRelay.Tests.Configuration;

/// <summary>The configuration shown in README.md is valid and does what the README says.</summary>
public class ReadmeConfigTests
{
    private static RelayConfig ReadmeConfig()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        var yaml = Regex.Match(readme, "```yaml\n(route:.*?)```", RegexOptions.Singleline);
        Assert.True(yaml.Success, "README.md has no ```yaml block starting with route:");
        return RelayConfigLoader.LoadFromYaml(yaml.Groups[1].Value, "README.md");
    }

    [Fact]
    public void ReadmeSnippet_Loads_AndRoutesCriticalDatabaseAlertsToBothReceivers()
    {
        var config = ReadmeConfig();

        var receivers = RoutingStage.Receivers(config.Route, LabelSet.From(("severity", "critical"), ("team", "database"), ("env", "prod")));

        Assert.Equal(["oncall-slack", "team-email"], receivers);
        Assert.Single(config.InhibitRules);
        Assert.Equal("critical-unacknowledged", Assert.Single(config.Escalations).Name);
    }

    [Fact]
    public void ReadmeReceiversSnippet_Loads_WithBothIntegrations()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "README.md"));
        var yaml = Regex.Match(readme, "```yaml\n(receivers:\n  - name: oncall\n.*?)```", RegexOptions.Singleline);
        Assert.True(yaml.Success, "README.md has no ```yaml block starting with receivers:");

        var config = RelayConfigLoader.LoadFromYaml("route:\n  receiver: oncall\n" + yaml.Groups[1].Value, "README.md");

        var oncall = Assert.Single(config.Receivers);
        Assert.Equal("#alerts-critical", Assert.Single(oncall.SlackConfigs).Channel);
        Assert.Equal("smtp.example.com:587", Assert.Single(oncall.EmailConfigs).Smarthost);
    }
}

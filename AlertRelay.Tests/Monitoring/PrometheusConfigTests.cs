using AlertRelay.Tests.TestData;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>monitoring/prometheus: promtool accepts the configuration, the rules and their unit tests, and the scrape jobs cover the stack.</summary>
public class PrometheusConfigTests
{
    [Fact]
    public async Task CheckConfig_Succeeds_WithTheRuleFilesItReferences()
    {
        // promtool resolves rule_files relative to the configuration file and checks them too.
        var result = await DebianTool.Promtool.RunAsync("check", "config", MonitoringFiles.PrometheusConfigRelative);

        Assert.True(result.ExitCode == 0, $"promtool check config failed:\n{result.Output}");
        Assert.Contains($"{MonitoringFiles.RuleFilesRelative.Count} rule files found", result.Output);
    }

    [Theory]
    [InlineData(MonitoringFiles.AlertRelayRulesRelative)]
    [InlineData(MonitoringFiles.EcommerceDemoRulesRelative)]
    public async Task CheckRules_Succeeds_ForTheAlertRules(string ruleFile)
    {
        var result = await DebianTool.Promtool.RunAsync("check", "rules", ruleFile);

        Assert.True(result.ExitCode == 0, $"promtool check rules failed:\n{result.Output}");
        Assert.Contains("SUCCESS", result.Output);
    }

    [Fact]
    public async Task TestRules_Pass_ForEveryUnitTestFile()
    {
        var files = MonitoringFiles.RuleTestFilesRelative();
        Assert.NotEmpty(files);

        var result = await DebianTool.Promtool.RunAsync(["test", "rules", .. files]);

        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Output}");
        Assert.DoesNotContain("FAILED", result.Output);
    }

    [Theory]
    [InlineData("prometheus", "localhost:9090")]
    [InlineData("ecommerce-api", "api:3000")]
    [InlineData("alertrelay", "alertrelay:5001")]
    [InlineData("node-exporter", "node-exporter:9100")]
    [InlineData("cadvisor", "cadvisor:8080")]
    public void ScrapeConfigs_HaveJob_ForEachComponent(string job, string target)
    {
        var scrape = ScrapeConfigs().SingleOrDefault(config => config.Text("job_name") == job);

        Assert.True(scrape is not null, $"{MonitoringFiles.PrometheusConfigRelative}: no scrape job named {job}");
        Assert.Contains(target, StaticTargets(scrape));
    }

    [Fact]
    public void Config_LoadsTheAlertRules_AndSendsAlertsToAlertmanager()
    {
        var root = Yaml.Load(MonitoringFiles.PrometheusConfig);

        // rule_files are relative to prometheus.yml: rules/alertrelay.yml (AlertRelay's own) and rules/ecommerce-demo.yml.
        var expected = MonitoringFiles.RuleFilesRelative
            .Select(file => Path.GetRelativePath(Path.GetDirectoryName(MonitoringFiles.PrometheusConfigRelative)!, file).Replace('\\', '/'));
        Assert.Equal(expected, root.Seq("rule_files").Select(file => file.Text()));
        var alertmanagers = root.Map("alerting")?.Seq("alertmanagers").OfType<YamlMappingNode>().SelectMany(StaticTargets).ToList() ?? [];
        Assert.Equal(["alertmanager:9093"], alertmanagers);
    }

    [Fact]
    public void ScrapeTargets_AreServicesOfTheComposeProject()
    {
        // Every host Prometheus scrapes or probes must be a compose service name, or nothing answers in the stack.
        var services = ComposeProject.Load().ServiceNames();
        var root = Yaml.Load(MonitoringFiles.PrometheusConfig);
        var hosts = ScrapeConfigs().SelectMany(StaticTargets)
            .Concat(root.Map("alerting")!.Seq("alertmanagers").OfType<YamlMappingNode>().SelectMany(StaticTargets))
            .Select(target => new Uri(target.Contains("://") ? target : "http://" + target).Host)
            .Where(host => host != "localhost")
            .Distinct();

        Assert.All(hosts, host => Assert.True(services.Contains(host), $"{MonitoringFiles.PrometheusConfigRelative} targets {host}, which is no compose service"));
    }

    [Fact]
    public void Intervals_AreSensible()
    {
        var global = Yaml.Load(MonitoringFiles.PrometheusConfig).Map("global")!;
        var scrape = AlertRelay.Core.Configuration.PrometheusDuration.Parse(global.Text("scrape_interval")!);
        var evaluation = AlertRelay.Core.Configuration.PrometheusDuration.Parse(global.Text("evaluation_interval")!);
        var timeout = AlertRelay.Core.Configuration.PrometheusDuration.Parse(global.Text("scrape_timeout")!);

        // The rules use 5m rate() windows: at least 4 samples per window, and a timeout shorter than the interval.
        Assert.InRange(scrape, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(75));
        Assert.InRange(evaluation, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        Assert.True(timeout < scrape, "scrape_timeout must be shorter than scrape_interval");
    }

    internal static IEnumerable<YamlMappingNode> ScrapeConfigs() =>
        Yaml.Load(MonitoringFiles.PrometheusConfig).Seq("scrape_configs").OfType<YamlMappingNode>();

    internal static IEnumerable<string> StaticTargets(YamlMappingNode config) =>
        config.Seq("static_configs").OfType<YamlMappingNode>()
            .SelectMany(staticConfig => staticConfig.Seq("targets"))
            .Select(target => target.Text() ?? "");
}

using AlertRelay.Tests.TestData;
using AlertRelay.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// monitoring/alertmanager/alertmanager.yml and alertmanager-ha.yml (compose profile ha): amtool accepts them, and every alert
/// reaches AlertRelay's webhook with the token (in the profile ha, the webhook of each PostgreSQL replica).
/// </summary>
public class AlertmanagerConfigTests
{
    private const string WebhookUrl = "http://alertrelay:5001/webhook";

    public static TheoryData<string> ConfigFiles() => new(MonitoringFiles.AlertmanagerConfigRelative, MonitoringFiles.AlertmanagerHaConfigRelative);

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public async Task CheckConfig_Succeeds(string config)
    {
        var result = await DebianTool.Amtool.RunAsync("check-config", config);

        Assert.True(result.ExitCode == 0, $"amtool check-config failed:\n{result.Output}");
        Assert.Contains("SUCCESS", result.Output);
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public async Task EveryAlertOfTheRules_IsRoutedToAlertRelay(string config)
    {
        foreach (var rule in AlertRule.LoadAll())
        {
            string[] labels = [$"alertname={rule.Name}", .. rule.Labels.Select(label => $"{label.Key}={label.Value}")];

            var result = await DebianTool.Amtool.RunAsync(
                ["config", "routes", "test", $"--config.file={config}", .. labels]);

            Assert.True(result.ExitCode == 0, $"amtool config routes test {string.Join(' ', labels)} failed:\n{result.Output}");
            Assert.Equal("alertrelay", result.StandardOutput.Trim());
        }
    }

    [Fact]
    public void Receivers_PostToAlertRelayWebhook_WithTheTokenFile_AndResolvedNotifications()
    {
        var receivers = Config().Seq("receivers").OfType<YamlMappingNode>().ToList();

        var receiver = Assert.Single(receivers);
        Assert.Equal(["name", "webhook_configs"], receiver.Keys().Order(StringComparer.Ordinal));
        var webhook = Assert.IsType<YamlMappingNode>(Assert.Single(receiver.Seq("webhook_configs")));
        Assert.Equal(WebhookUrl, webhook.Text("url"));
        Assert.Equal("true", webhook.Text("send_resolved"));
        var authorization = webhook.Map("http_config")?.Map("authorization");
        Assert.NotNull(authorization);
        Assert.Equal(MonitoringFiles.WebhookTokenPath, authorization.Text("credentials_file"));
        Assert.Null(authorization.Text("credentials"));
    }

    [Fact]
    public void HaConfig_PostsEveryWebhookToEachPostgresReplica_WithTheTokenFile()
    {
        var compose = ComposeProject.Load();
        var replicas = compose.Services()
            .Where(service => service.Service.Map("environment")?.Text("AlertRelay__Database__Provider") == "postgres")
            .Select(service => service.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["alertrelay-a", "alertrelay-b"], replicas);

        var receiver = Assert.IsType<YamlMappingNode>(Assert.Single(HaConfig().Seq("receivers")));
        Assert.Equal("alertrelay", receiver.Text("name"));
        var webhooks = receiver.Seq("webhook_configs").OfType<YamlMappingNode>().ToList();
        Assert.Equal(replicas.Select(name => $"http://{name}:5001/webhook"), webhooks.Select(webhook => webhook.Text("url")));

        // Each copy as the single relay's: resolved notifications, every alert, the same token file.
        var single = Assert.IsType<YamlMappingNode>(Assert.Single(Assert.IsType<YamlMappingNode>(Assert.Single(Config().Seq("receivers"))).Seq("webhook_configs")));
        foreach (var webhook in webhooks)
        {
            Assert.Equal(single.Keys().Order(StringComparer.Ordinal), webhook.Keys().Order(StringComparer.Ordinal));
            Assert.Equal(single.Text("send_resolved"), webhook.Text("send_resolved"));
            Assert.Equal(single.Text("max_alerts"), webhook.Text("max_alerts"));
            Assert.Equal(MonitoringFiles.WebhookTokenPath, webhook.Map("http_config")?.Map("authorization")?.Text("credentials_file"));
            Assert.Null(webhook.Map("http_config")?.Map("authorization")?.Text("credentials"));
        }
    }

    [Fact]
    public void HaConfig_RoutesAndGroupsAsTheSingleRelaysConfig()
    {
        string Serialize(YamlNode? node) => new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(node!);

        Assert.Equal(Serialize(Config().Get("route")), Serialize(HaConfig().Get("route")));
        Assert.Equal(Serialize(Config().Get("global")), Serialize(HaConfig().Get("global")));
        Assert.Empty(HaConfig().Seq("inhibit_rules"));
        Assert.Equal(["global", "receivers", "route"], HaConfig().Keys().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ComposeAlertmanager_GetsTheWebhookTokenSecret_ThatAlertRelayChecks()
    {
        var compose = ComposeProject.Load();
        var secretName = Path.GetFileName(MonitoringFiles.WebhookTokenPath);

        Assert.True(compose.TopLevel("secrets").ContainsKey(secretName), $"no top-level compose secret {secretName}");
        foreach (var service in new[] { "alertmanager", "alertrelay" })
        {
            var definition = compose.Services().Single(entry => entry.Name == service && entry.Service.Get("secrets") is not null).Service;
            Assert.Contains(secretName, definition.Seq("secrets").Select(secret => secret.Text() ?? (secret as YamlMappingNode)?.Text("source")));
        }

        var relay = compose.Services().Single(entry => entry.Name == "alertrelay").Service;
        Assert.Equal(MonitoringFiles.WebhookTokenPath, relay.Map("environment")?.Text("AlertRelay__Auth__WebhookTokenFile"));
    }

    [Fact]
    public void Route_GroupsByAlertname_AndRepeatsTheWatchdogOften()
    {
        var route = Config().Map("route")!;

        Assert.Equal("alertrelay", route.Text("receiver"));
        Assert.Contains("alertname", route.Seq("group_by").Select(label => label.Text()));
        var repeat = PrometheusDuration.Parse(route.Text("repeat_interval")!);
        var groupInterval = PrometheusDuration.Parse(route.Text("group_interval")!);
        var groupWait = PrometheusDuration.Parse(route.Text("group_wait")!);
        Assert.True(groupWait <= groupInterval && groupInterval <= repeat, "expected group_wait <= group_interval <= repeat_interval");

        var watchdog = route.Seq("routes").OfType<YamlMappingNode>()
            .SingleOrDefault(child => child.Seq("matchers").Any(matcher => matcher.Text() is "alertname=\"Watchdog\"" or "alertname=Watchdog"));
        Assert.True(watchdog is not null, "no child route matching alertname=\"Watchdog\"");
        var watchdogRepeat = PrometheusDuration.Parse(watchdog.Text("repeat_interval")!);
        Assert.True(watchdogRepeat <= TimeSpan.FromMinutes(10), $"the Watchdog's repeat_interval ({watchdogRepeat}) should be minutes, it is the heartbeat");
        Assert.True(watchdogRepeat < repeat);
    }

    [Fact]
    public void Config_HasNoInhibitRules_BecauseAlertRelayInhibits()
    {
        // Alertmanager would drop inhibited alerts before AlertRelay saw them, leaving holes in its history.
        Assert.Empty(Config().Seq("inhibit_rules"));
    }

    private static YamlMappingNode Config() => Yaml.Load(MonitoringFiles.AlertmanagerConfig);

    private static YamlMappingNode HaConfig() => Yaml.Load(MonitoringFiles.AlertmanagerHaConfig);
}

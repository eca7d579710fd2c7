using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Routing;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// monitoring/alertrelay/alertrelay.yml, AlertRelay's configuration in the compose stack: it loads, its emails go to the
/// mail catcher of docker-compose.yml, Slack reads its token from the documented secret, APIDown mutes the shop's
/// warnings, and the alertrelay service is pointed at it.
/// </summary>
public class AlertRelayConfigTests
{
    private const string MountDirectory = "/etc/alertrelay";
    private const string MailCatcherService = "mailcatcher";
    private const string MailCatcherSmarthost = "mailcatcher:1025";
    private const string SlackTokenFile = "/run/secrets/slack-bot-token";

    private static RelayConfig Load() => RelayConfigLoader.Load(MonitoringFiles.AlertRelayConfig);

    [Fact]
    public void Load_Succeeds()
    {
        var config = Load();

        Assert.NotEmpty(config.Receivers);
        Assert.NotEmpty(config.InhibitRules);
        Assert.NotEmpty(config.Escalations);
        Assert.All(config.Escalations, policy => Assert.NotEmpty(policy.Steps));
    }

    [Fact]
    public void Emails_GoToTheMailCatcher_WithoutTls()
    {
        var emails = Load().Receivers.SelectMany(receiver => receiver.EmailConfigs.Select(email => (receiver.Name, Email: email))).ToList();
        Assert.NotEmpty(emails);

        Assert.All(emails, pair =>
        {
            Assert.True(pair.Email.Smarthost == MailCatcherSmarthost, $"receiver {pair.Name}: smarthost {pair.Email.Smarthost}, expected {MailCatcherSmarthost}");
            Assert.True(pair.Email.RequireTls == false, $"receiver {pair.Name}: the mail catcher speaks plain SMTP, set require_tls: false");
            Assert.False(string.IsNullOrEmpty(pair.Email.From), $"receiver {pair.Name}: no from");
        });

        var services = ComposeProject.Load().Services().Where(service => service.File == MonitoringFiles.ComposeRelative).Select(service => service.Name);
        Assert.Contains(MailCatcherService, services);
    }

    [Fact]
    public void Slack_ReadsItsBotTokenFromTheSecret()
    {
        var slack = Load().Receivers.SelectMany(receiver => receiver.SlackConfigs).ToList();

        var config = Assert.Single(slack);
        Assert.Equal(SlackTokenFile, config.BotTokenFile);
        Assert.Null(config.BotToken);
        Assert.False(string.IsNullOrEmpty(config.Channel));
    }

    public sealed record RouteCase(string Name, string[] Labels, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RouteCase> Routes() =>
    [
        new("critical: on-call", ["alertname=APIDown", "severity=critical", "service=ecommerce-api"], "oncall-email"),
        new("warning: the team", ["alertname=HighResponseTime", "severity=warning", "service=ecommerce-api"], "team-email"),
        new("heartbeat: nobody", ["alertname=Watchdog", "severity=info", "service=monitoring"], "blackhole"),
        new("heartbeat missing: on-call", ["alertname=HeartbeatMissing", "heartbeat=prometheus", "severity=critical"], "oncall-email"),
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public void Receivers_AreAsDocumented(RouteCase testCase)
    {
        var labels = LabelSet.From(testCase.Labels.Select(l => l.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p[1])));

        Assert.Equal(testCase.Expected, string.Join(",", RoutingStage.Receivers(Load().Route, labels)));
    }

    [Theory]
    // HighResponseTime and LowRequestRate aggregate job and instance away: only service is shared with APIDown.
    [InlineData("HighResponseTime", "", InhibitionCheck.Inhibits)]
    [InlineData("HighMemoryUsage", "ecommerce-api", InhibitionCheck.Inhibits)]
    public void ApiDown_MutesTheShopsWarnings(string alertName, string job, InhibitionCheck expected)
    {
        var rules = Load().InhibitRules;
        var apiDown = LabelSet.From(("alertname", "APIDown"), ("severity", "critical"), ("service", "ecommerce-api"), ("job", "blackbox-http"));
        var source = new InhibitionSource(1, Fingerprint.Of(apiDown), apiDown);
        var target = job.Length == 0
            ? LabelSet.From(("alertname", alertName), ("severity", "warning"), ("service", "ecommerce-api"))
            : LabelSet.From(("alertname", alertName), ("severity", "warning"), ("service", "ecommerce-api"), ("job", job));

        Assert.Equal(expected, rules.Select(rule => InhibitionStage.Check(rule, target, source)).FirstOrDefault(check => check == InhibitionCheck.Inhibits, InhibitionCheck.TargetNotMatched));
    }

    [Fact]
    public void ApiDown_DoesNotMuteOtherServices()
    {
        var rules = Load().InhibitRules;
        var apiDown = LabelSet.From(("alertname", "APIDown"), ("severity", "critical"), ("service", "ecommerce-api"), ("job", "ecommerce-api"));
        var source = new InhibitionSource(1, Fingerprint.Of(apiDown), apiDown);
        var hostWarning = LabelSet.From(("alertname", "HostMemoryHigh"), ("severity", "warning"), ("service", "host"), ("job", "node-exporter"));

        Assert.DoesNotContain(rules, rule => InhibitionStage.Check(rule, hostWarning, source) == InhibitionCheck.Inhibits);
    }

    [Fact]
    public void AlertRelayService_UsesTheFile_FromAMountedDirectory()
    {
        var compose = ComposeProject.Load();
        var relay = compose.Services().Single(service => service.Name == "alertrelay" && service.File == MonitoringFiles.ComposeRelative).Service;

        Assert.Equal($"{MountDirectory}/alertrelay.yml", relay.Map("environment")?.Text("AlertRelay__ConfigFile"));

        var mount = compose.Mounts().SingleOrDefault(m => m.Service == "alertrelay" && m.Target == MountDirectory);
        Assert.True(mount is not null, $"alertrelay does not mount {MountDirectory}");
        Assert.True(mount.ReadOnly, $"{mount}: must be read-only");
        Assert.Equal(Path.GetDirectoryName(MonitoringFiles.AlertRelayConfigRelative)!.Replace('\\', '/'), mount.Source!.TrimStart('.', '/'));
        Assert.Contains(MailCatcherService, relay.Seq("depends_on").Select(node => node.Text()));
    }
}

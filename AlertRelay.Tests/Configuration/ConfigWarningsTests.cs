using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Email;

namespace AlertRelay.Tests.Configuration;

/// <summary>What a pasted Alertmanager configuration becomes: warnings with file:line for what is not honoured, and the honoured defaults.</summary>
public sealed class ConfigWarningsTests
{
    private const string File = "am.yml";

    private const string Unsupported = """
        route:
          receiver: pager
        receivers:
          - name: pager
            opsgenie_configs:
              - api_key: secret-opsgenie-key
              - api_key: another-secret
          - name: mixed
            slack_configs:
              - api_url: https://hooks.example.com/x
            telegram_configs:
              - chat_id: 1
        """;

    private static RelayConfig Load(string yaml, ConfigOptions? options = null) => RelayConfigLoader.LoadFromYaml(yaml, File, options);

    [Fact]
    public void UnsupportedKinds_AreErrors_NamingTheKind_ByDefault()
    {
        var ex = Assert.Throws<ConfigException>(() => Load(Unsupported));

        Assert.Equal(
            [(5, "receivers[0].opsgenie_configs"), (11, "receivers[1].telegram_configs")],
            ex.Errors.Select(e => (e.Line, e.Path)));
        Assert.All(ex.Errors, e => Assert.Contains("supported: slack_configs, email_configs, webhook_configs, pagerduty_configs, msteamsv2_configs", e.Message));
    }

    [Fact]
    public void UnsupportedKinds_AreSkipped_WithOneWarningPerEntry_WhenIgnoreUnsupportedReceivers()
    {
        var config = Load(Unsupported, new ConfigOptions { IgnoreUnsupportedReceivers = true });

        Assert.Equal(
            [
                (4, "receivers[0].name", "receiver \"pager\" notifies nobody: its only integrations (opsgenie_configs) were ignored"),
                (6, "receivers[0].opsgenie_configs[0]", "unsupported receiver kind \"opsgenie_configs\" ignored (AlertRelay:Config:IgnoreUnsupportedReceivers=true): alerts routed here are not sent through it"),
                (7, "receivers[0].opsgenie_configs[1]", "unsupported receiver kind \"opsgenie_configs\" ignored (AlertRelay:Config:IgnoreUnsupportedReceivers=true): alerts routed here are not sent through it"),
                (12, "receivers[1].telegram_configs[0]", "unsupported receiver kind \"telegram_configs\" ignored (AlertRelay:Config:IgnoreUnsupportedReceivers=true): alerts routed here are not sent through it"),
            ],
            config.Warnings.Select(w => (w.Line, w.Path, w.Message)));
        Assert.Equal(new Dictionary<string, int> { ["opsgenie_configs"] = 2, ["telegram_configs"] = 1 }, config.IgnoredIntegrations);
        Assert.Single(config.Receivers[1].SlackConfigs);
        Assert.All(config.Warnings, w => Assert.DoesNotContain("secret", w.ToString(), StringComparison.Ordinal));
        Assert.Equal("am.yml:6: receivers[0].opsgenie_configs[0]: warning: unsupported receiver kind \"opsgenie_configs\" ignored "
            + "(AlertRelay:Config:IgnoreUnsupportedReceivers=true): alerts routed here are not sent through it", config.Warnings[1].ToString());
    }

    [Fact]
    public void GroupingOptions_AreWarnedOnce_AtTheFirst()
    {
        var config = Load("""
            route:
              receiver: r
              group_by: [alertname]
              group_wait: 30s
              routes:
                - receiver: r
                  repeat_interval: 1h
                - receiver: r
                  group_interval: 1m
            receivers:
              - name: r
            """);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal((3, "route.group_by"), (warning.Line, warning.Path));
        Assert.StartsWith("group_by, group_wait, group_interval, repeat_interval are accepted but ignored by AlertRelay (3 routes set them): "
            + "Alertmanager groups, waits and repeats", warning.Message);
    }

    [Fact]
    public void Slack_FollowsAlertmanager_ChannelOptionalWithAWebhook_GlobalDefaults_AppToken()
    {
        var config = Load("""
            global:
              slack_api_url_file: /run/secrets/slack-webhook
            route:
              receiver: r
            receivers:
              - name: r
                slack_configs:
                  - send_resolved: true
                  - channel: '#ops'
                    app_token: xoxb-app
                    app_url: https://slack.example.com/api/chat.postMessage
                    icon_emoji: ':fire:'
            """);

        var (global, app) = (config.Receivers[0].SlackConfigs[0], config.Receivers[0].SlackConfigs[1]);
        Assert.Equal(("", "/run/secrets/slack-webhook", null), (global.Channel, global.ApiUrlFile, global.BotToken));
        Assert.Equal(("#ops", "xoxb-app", "https://slack.example.com/api/", null), (app.Channel, app.BotToken, app.ApiBaseUrl, app.ApiUrlFile));
        var warning = Assert.Single(config.Warnings);
        Assert.Equal((12, "receivers[0].slack_configs[1].icon_emoji"), (warning.Line, warning.Path));
        Assert.StartsWith("\"icon_emoji\" is accepted but ignored by AlertRelay: AlertRelay lays out its own Slack message", warning.Message);
    }

    [Fact]
    public void Email_TakesHello_AndWarnsAboutSecretsItDoesNotUse()
    {
        var config = Load("""
            global:
              smtp_smarthost: smtp.example.com:587
              smtp_from: alertrelay@example.com
              smtp_hello: global.example.com
            route:
              receiver: r
            receivers:
              - name: r
                email_configs:
                  - to: ops@example.com
                    hello: relay.example.com
                    auth_secret: cram-md5-secret
            """);

        Assert.True(EmailSettings.TryResolve(config.Receivers[0].EmailConfigs[0], config.Global, out var settings, out var error), error);
        Assert.Equal("relay.example.com", settings!.Hello);
        var warning = Assert.Single(config.Warnings);
        Assert.Equal((12, "receivers[0].email_configs[0].auth_secret"), (warning.Line, warning.Path));
        Assert.DoesNotContain("cram-md5-secret", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void HttpConfig_WarnsAboutAnEmptyTlsConfigAndHttp2_ButNotHttp2False()
    {
        var config = Load("""
            route:
              receiver: r
            receivers:
              - name: r
                webhook_configs:
                  - url: http://127.0.0.1:9/a
                    http_config:
                      tls_config: {insecure_skip_verify: false}
                      enable_http2: true
                  - url: http://127.0.0.1:9/b
                    http_config: {enable_http2: false}
            """);

        Assert.Equal(
            [(8, "receivers[0].webhook_configs[0].http_config.tls_config"), (9, "receivers[0].webhook_configs[0].http_config.enable_http2")],
            config.Warnings.Select(w => (w.Line, w.Path)));
    }

    [Fact]
    public void InhibitRule_IsNamedByItsName()
    {
        var config = Load("""
            route:
              receiver: r
            receivers:
              - name: r
            inhibit_rules:
              - name: critical-mutes-warning
                source_matchers: [severity=critical]
                target_matchers: [severity=warning]
              - source_matchers: [severity=critical]
                target_matchers: [severity=info]
            """);

        Assert.Equal(["critical-mutes-warning", "inhibit_rules[1]"], config.InhibitRules.Select(r => r.Name));
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void EmptyTemplatesAndUnsupportedLists_AskForNothing()
    {
        var config = Load("""
            templates: []
            route:
              receiver: r
            receivers:
              - name: r
                opsgenie_configs: []
            """);

        Assert.Empty(config.Warnings);
        Assert.Empty(config.IgnoredIntegrations);
    }

    [Fact]
    public void Slack_HttpConfigAuthorization_IsTheWebApiToken_AsAlertmanagersBotTokenForm()
    {
        var config = Load("""
            global:
              slack_app_token: xoxb-global
              slack_api_url: https://slack.com/api/chat.postMessage
            route:
              receiver: r
            receivers:
              - name: r
                slack_configs:
                  - channel: '#alerts1'
                  - channel: '#alerts4'
                    http_config:
                      authorization:
                        credentials: xoxb-my-bot-token
            """);

        Assert.Equal(["xoxb-global", "xoxb-my-bot-token"], config.Receivers[0].SlackConfigs.Select(s => s.BotToken));
        Assert.Empty(config.Warnings);
    }
}

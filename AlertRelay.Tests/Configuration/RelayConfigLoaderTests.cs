using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Routing;
// System.IO (an implicit using) also has a MatchType; the alias picks ours.
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Tests.Configuration;

/// <summary>Tests for <see cref="RelayConfigLoader"/> on valid configurations: what the YAML compiles to.</summary>
public sealed class RelayConfigLoaderTests
{
    private const string File = "test.yml";

    [Fact]
    public void LoadFromYaml_InheritsParentReceiver_WhenChildHasNone()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route:
              receiver: root
              routes:
                - matchers: ['team="db"']
                  receiver: db
                  routes:
                    - matchers: ['severity="critical"']
                    - matchers: ['severity="page"']
                      receiver: pager
                - matchers: ['team="web"']
            receivers: [{name: root}, {name: db}, {name: pager}]
            """, File);

        var root = config.Route;
        Assert.Equal("root", root.Receiver);
        Assert.Equal("route", root.Path);
        Assert.Equal(["db", "root"], root.Routes.Select(r => r.Receiver));
        Assert.Equal(["route.routes[0]", "route.routes[1]"], root.Routes.Select(r => r.Path));
        Assert.Equal(["db", "pager"], root.Routes[0].Routes.Select(r => r.Receiver));
        Assert.Equal(["route.routes[0].routes[0]", "route.routes[0].routes[1]"], root.Routes[0].Routes.Select(r => r.Path));
    }

    [Fact]
    public void LoadFromYaml_CompilesEveryMatcherForm_SortedAsAlertmanager()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route:
              receiver: r
              routes:
                - match: {service: api, env: prod}
                  match_re: {instance: 'web-.*'}
                  matchers: ['severity!="info", team!~"qa|test"', 'zone=~eu-.*']
                  continue: true
            receivers: [{name: r}]
            """, File);

        var route = config.Route.Routes[0];
        Assert.True(route.Continue);
        Assert.Equal(
            ["env=\"prod\"", "instance=~\"web-.*\"", "service=\"api\"", "severity!=\"info\"", "team!~\"qa|test\"", "zone=~\"eu-.*\""],
            route.Matchers.Select(m => m.ToString()));
        Assert.Equal(MatchType.Regex, route.Matchers[1].Type);
    }

    [Fact]
    public void LoadFromYaml_InheritsGroupingAndTimers_AndDefaultsTheRootAsAlertmanager()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route:
              receiver: r
              routes:
                - matchers: ['a="1"']
                  group_by: [alertname, cluster]
                  group_wait: 10s
                  repeat_interval: 1d
                  mute_time_intervals: [weekends]
                  routes:
                    - matchers: ['b="2"']
                      group_interval: 1h30m
                      active_time_intervals: [office-hours]
                - matchers: ['c="3"']
                  group_by: ['...']
            receivers: [{name: r}]
            time_intervals:
              - name: weekends
                time_intervals: [{weekdays: [saturday, sunday]}]
            mute_time_intervals:
              - name: office-hours
                time_intervals: [{times: [{start_time: '09:00', end_time: '17:00'}]}]
            """, File);

        var root = config.Route;
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromHours(4)), (root.GroupWait, root.GroupInterval, root.RepeatInterval));
        Assert.Empty(root.GroupBy);

        var child = root.Routes[0];
        Assert.Equal(["alertname", "cluster"], child.GroupBy);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)), (child.GroupWait, child.GroupInterval, child.RepeatInterval));
        Assert.Equal(["weekends"], child.MuteTimeIntervals);

        var grandchild = child.Routes[0];
        Assert.Equal(["alertname", "cluster"], grandchild.GroupBy);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(90), TimeSpan.FromDays(1)), (grandchild.GroupWait, grandchild.GroupInterval, grandchild.RepeatInterval));
        Assert.Empty(grandchild.MuteTimeIntervals); // not inherited, as in Alertmanager
        Assert.Equal(["office-hours"], grandchild.ActiveTimeIntervals);

        Assert.Equal(["..."], root.Routes[1].GroupBy);
    }

    [Fact]
    public void LoadFromYaml_ReadsReceiverIntegrations_WithAlertmanagerDefaults()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route: {receiver: all}
            receivers:
              - name: all
                slack_configs:
                  - channel: '#ops'
                    bot_token_file: /run/secrets/slack
                    api_base_url: http://127.0.0.1:9999/api/
                    title: T
                    text: X
                email_configs:
                  - to: ops@example.com
                    from: relay@example.com
                    smarthost: smtp.example.com:587
                    require_tls: false
                    auth_username: relay
                    auth_password: hunter2
                    send_resolved: yes
                    headers: {Subject: Alert, X-Team: ops}
                    html: ''
                    text: plain
                webhook_configs:
                  - url: http://127.0.0.1:9000/hook?token=abc
                    max_alerts: 10
                    http_config:
                      authorization: {credentials_file: /run/secrets/token}
                      follow_redirects: true
            """, File);

        var receiver = Assert.Single(config.Receivers);
        var slack = Assert.Single(receiver.SlackConfigs);
        Assert.Equal(("#ops", "/run/secrets/slack", "http://127.0.0.1:9999/api/", false), (slack.Channel, slack.BotTokenFile, slack.ApiBaseUrl, slack.SendResolved));
        Assert.Equal(("T", "X"), (slack.Title, slack.Text));

        var email = Assert.Single(receiver.EmailConfigs);
        Assert.Equal(("ops@example.com", "relay@example.com", "smtp.example.com:587", (bool?)false), (email.To, email.From, email.Smarthost, email.RequireTls));
        Assert.Equal(("relay", "hunter2", true, "", "plain"), (email.AuthUsername, email.AuthPassword, email.SendResolved, email.Html, email.Text));
        Assert.Equal("ops", email.Headers["X-Team"]);
        Assert.DoesNotContain("hunter2", email.ToString(), StringComparison.Ordinal);

        var webhook = Assert.Single(receiver.WebhookConfigs);
        Assert.True(webhook.SendResolved); // Alertmanager's default for webhooks
        Assert.Equal(10, webhook.MaxAlerts);
        Assert.Equal(("Bearer", "/run/secrets/token", true), (webhook.HttpConfig.AuthorizationType, webhook.HttpConfig.CredentialsFile, webhook.HttpConfig.FollowRedirects));
        Assert.DoesNotContain("token=abc", webhook.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFromYaml_CompilesInhibitRules_FromNewAndDeprecatedSyntax()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route: {receiver: r}
            receivers: [{name: r}]
            inhibit_rules:
              - source_matchers: ['severity="critical"']
                target_matchers: ['severity=~"warning|info"']
                equal: [alertname, instance]
              - source_match: {alertname: ClusterDown}
                target_match_re: {alertname: 'Node.*'}
                target_match: {cluster: eu1}
            """, File);

        Assert.Equal(["inhibit_rules[0]", "inhibit_rules[1]"], config.InhibitRules.Select(r => r.Name));
        var first = config.InhibitRules[0];
        Assert.Equal(["severity=\"critical\""], first.SourceMatchers.Select(m => m.ToString()));
        Assert.Equal(["severity=~\"warning|info\""], first.TargetMatchers.Select(m => m.ToString()));
        Assert.Equal(["alertname", "instance"], first.Equal);
        var second = config.InhibitRules[1];
        Assert.Equal(["alertname=\"ClusterDown\""], second.SourceMatchers.Select(m => m.ToString()));
        Assert.Equal(["alertname=~\"Node.*\"", "cluster=\"eu1\""], second.TargetMatchers.Select(m => m.ToString()));
        Assert.Empty(second.Equal);
    }

    [Fact]
    public void LoadFromYaml_ReadsRepeat_AndAllowsAPolicyThatOnlyReminds()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route: {receiver: team}
            receivers: [{name: team}]
            escalations:
              - name: remind
                matchers: ['severity="critical"']
                repeat: [15m, 30m, 1h, 4h]
              - name: ladder
                steps: [{after: 5m, notify: team}]
            """, File);

        Assert.Equal(
            [TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(4)],
            config.Escalations[0].Repeat);
        Assert.Empty(config.Escalations[0].Steps);
        Assert.Empty(config.Escalations[1].Repeat);
    }

    [Fact]
    public void LoadFromYaml_CompilesEscalations_WithStepsInOrder()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route: {receiver: team}
            receivers: [{name: team}, {name: lead}]
            escalations:
              - name: critical
                matchers: ['severity="critical"', 'env=prod']
                steps:
                  - after: 0
                    notify: team
                  - after: 15m
                    notify: lead
                  - after: 1h30m
                    set_severity: page
                    notify: lead
              - name: everything
                steps: [{after: 1d, set_severity: critical}]
            """, File);

        Assert.Equal(["critical", "everything"], config.Escalations.Select(e => e.Name));
        var critical = config.Escalations[0];
        Assert.Equal(["env=\"prod\"", "severity=\"critical\""], critical.Matchers.Select(m => m.ToString()));
        Assert.Equal(
            [(TimeSpan.Zero, "team", null), (TimeSpan.FromMinutes(15), "lead", null), (TimeSpan.FromMinutes(90), "lead", "page")],
            critical.Steps.Select(s => (s.After, s.Notify, s.SetSeverity)));
        Assert.Empty(config.Escalations[1].Matchers);
        Assert.Equal((TimeSpan.FromDays(1), (string?)null, "critical"), (config.Escalations[1].Steps[0].After, config.Escalations[1].Steps[0].Notify, config.Escalations[1].Steps[0].SetSeverity));
    }

    [Fact]
    public void LoadFromYaml_KeepsGlobalAsRawValues()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            global:
              resolve_timeout: 5m
              smtp_require_tls: false
              slack_api_url: https://hooks.slack.com/services/x
              http_config: {follow_redirects: false}
            route: {receiver: r}
            receivers: [{name: r, webhook_configs: [{url: 'http://127.0.0.1:9/a'}, {url: 'http://127.0.0.1:9/b', http_config: {}}]}]
            """, File);

        Assert.Equal("5m", config.Global["resolve_timeout"]);
        Assert.Equal("false", config.Global["smtp_require_tls"]);
        Assert.Equal("false", Assert.IsType<Dictionary<string, object?>>(config.Global["http_config"])["follow_redirects"]);
        // As Alertmanager: the global http_config is the default of an entry that sets none.
        Assert.Equal([false, true], config.Receivers[0].WebhookConfigs.Select(w => w.HttpConfig.FollowRedirects));
    }

    [Fact]
    public void LoadFromYaml_ResolvesAnchorsAndMergeKeys()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route:
              receiver: r
              routes:
                - &team-route
                  matchers: ['team="db"']
                  receiver: r
                  continue: true
                - <<: *team-route
                  continue: false
            receivers:
              - name: r
                email_configs:
                  - &mail {to: a@example.com, send_resolved: true, from: r@example.com, smarthost: 'smtp.example.com:25'}
                  - <<: *mail
                    to: b@example.com
            """, File);

        Assert.Equal([true, false], config.Route.Routes.Select(r => r.Continue));
        Assert.Equal(["team=\"db\"", "team=\"db\""], config.Route.Routes.Select(r => r.Matchers.Single().ToString()));
        Assert.Equal([("a@example.com", true), ("b@example.com", true)], config.Receivers[0].EmailConfigs.Select(e => (e.To, e.SendResolved)));
    }

    [Fact]
    public void LoadFromYaml_TreatsNullValuesAsAbsent()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            global:
            route:
              receiver: r
              group_by:
              routes:
                - matchers: ['a="1"']
                  receiver:
                  routes:
            receivers:
              - name: r
                slack_configs:
            inhibit_rules:
            escalations: ~
            """, File);

        Assert.Equal("r", config.Route.Routes[0].Receiver);
        Assert.Empty(config.Route.Routes[0].Routes);
        Assert.Empty(config.Receivers[0].SlackConfigs);
        Assert.Empty(config.InhibitRules);
        Assert.Empty(config.Escalations);
        Assert.Empty(config.Global);
    }

    [Fact]
    public void Load_SetsSourcePath_AndNamesTheFileAsGiven()
    {
        var path = RepositoryFiles.WriteTemp("route: {receiver: nobody}\n");
        try
        {
            var exception = Assert.Throws<ConfigException>(() => RelayConfigLoader.Load(path));
            Assert.Equal($"{path}:1: route.receiver: undefined receiver \"nobody\"", Assert.Single(exception.Errors).ToString());

            System.IO.File.WriteAllText(path, "route: {receiver: r}\nreceivers: [{name: r}]\n");
            Assert.Equal(Path.GetFullPath(path), RelayConfigLoader.Load(path).SourcePath);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void Load_ThrowsFileNotFound_WhenFileIsMissing()
    {
        var path = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"), RelayConfigLoader.DefaultFileName);

        Assert.ThrowsAny<IOException>(() => RelayConfigLoader.Load(path));
    }

    [Fact]
    public void LoadFromYaml_HasNoSourcePath()
    {
        var config = RelayConfigLoader.LoadFromYaml("route: {receiver: r}\nreceivers: [{name: r}]\n", File);

        Assert.Null(config.SourcePath);
    }

    [Fact]
    public void Default_RoutesEverythingToAnEmptyDefaultReceiver()
    {
        var config = RelayConfig.Default;

        var receiver = Assert.Single(config.Receivers);
        Assert.Equal("default", receiver.Name);
        Assert.Empty(receiver.SlackConfigs);
        Assert.Empty(receiver.EmailConfigs);
        Assert.Empty(receiver.WebhookConfigs);
        Assert.Equal(["default"], RoutingStage.Receivers(config.Route, LabelSet.From(("alertname", "Anything"))));
        Assert.Empty(config.InhibitRules);
        Assert.Empty(config.Escalations);
        Assert.Null(config.SourcePath);
        Assert.Same(receiver, config.FindReceiver("default"));
    }

    [Fact]
    public void ConfigError_OmitsThePath_WhenThereIsNone()
    {
        Assert.Equal("a.yml:3: bad", new ConfigError("a.yml", 3, "", "bad").ToString());
        Assert.Equal("a.yml:12: route.routes[0].receiver: undefined receiver \"ops\"", new ConfigError("a.yml", 12, "route.routes[0].receiver", "undefined receiver \"ops\"").ToString());
    }
}

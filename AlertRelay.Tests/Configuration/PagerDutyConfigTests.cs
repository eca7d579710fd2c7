using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>Every field of <c>pagerduty_configs</c>: what it reads into, and what is refused with its file:line.</summary>
public sealed class PagerDutyConfigTests
{
    private const string File = "alertrelay.yml";

    // The entry starts on line 5; its first field is on line 5 too ("      - routing_key: ...").
    private static string Yaml(string entry) => $"""
        route: {"{receiver: r}"}
        receivers:
          - name: r
            pagerduty_configs:
        {string.Join("\n", entry.Split('\n').Select((line, i) => (i == 0 ? "      - " : "        ") + line))}
        """;

    private static PagerDutyConfig Read(string entry) =>
        Assert.Single(Assert.Single(RelayConfigLoader.LoadFromYaml(Yaml(entry), File).Receivers).PagerDutyConfigs);

    private static ConfigError Refused(string entry) =>
        Assert.Single(Assert.Throws<ConfigException>(() => RelayConfigLoader.LoadFromYaml(Yaml(entry), File)).Errors);

    [Fact]
    public void Load_ReadsEveryField_WhenAllAreSet()
    {
        var config = RelayConfigLoader.LoadFromYaml(Yaml("""
            routing_key: 0123456789abcdef0123456789abcdef
            url: http://127.0.0.1:9999/v2/enqueue
            client: 'AlertRelay {{ receiver }}'
            client_url: https://relay.example.com/
            description: '{{ alertname }} on {{ labels.instance }}'
            severity: '{{ severity }}'
            source: '{{ labels.instance }}'
            class: latency
            component: checkout
            group: web
            details: {runbook: '{{ annotations.runbook }}', team: payments}
            images: [{src: 'https://img.example.com/{{ alertname }}.png', alt: graph, href: https://grafana.example.com}]
            links: [{href: 'https://runbooks.example.com/{{ alertname }}', text: Runbook}]
            http_config: {follow_redirects: false}
            send_resolved: false
            timeout: 10s
            """), File);
        var pd = Assert.Single(Assert.Single(config.Receivers).PagerDutyConfigs);

        Assert.Empty(config.Warnings);
        Assert.Equal("0123456789abcdef0123456789abcdef", pd.RoutingKey);
        Assert.Equal(("http://127.0.0.1:9999/v2/enqueue", "AlertRelay {{ receiver }}", "https://relay.example.com/"), (pd.Url, pd.Client, pd.ClientUrl));
        Assert.Equal(("{{ alertname }} on {{ labels.instance }}", "{{ severity }}", "{{ labels.instance }}"), (pd.Description, pd.Severity, pd.Source));
        Assert.Equal(("latency", "checkout", "web"), (pd.Class, pd.Component, pd.Group));
        Assert.Equal(new Dictionary<string, string> { ["runbook"] = "{{ annotations.runbook }}", ["team"] = "payments" }, pd.Details);
        Assert.Equal([new PagerDutyImage("https://img.example.com/{{ alertname }}.png", "graph", "https://grafana.example.com")], pd.Images);
        Assert.Equal([new PagerDutyLink("https://runbooks.example.com/{{ alertname }}", "Runbook")], pd.Links);
        Assert.False(pd.HttpConfig.FollowRedirects);
        Assert.False(pd.SendResolved);
        Assert.Equal(TimeSpan.FromSeconds(10), pd.Timeout);
    }

    [Fact]
    public void Load_UsesAlertmanagersDefaults_WhenOnlyARoutingKeyFileIsSet()
    {
        var pd = Read("routing_key_file: /run/secrets/pagerduty");

        Assert.Equal(("/run/secrets/pagerduty", null), (pd.RoutingKeyFile, pd.RoutingKey));
        Assert.Equal((PagerDutyConfig.DefaultUrl, "https://events.pagerduty.com/v2/enqueue"), (pd.Url, PagerDutyConfig.DefaultUrl));
        Assert.Equal(("error", true, null, null), (pd.Severity, pd.SendResolved, pd.Description, pd.Timeout));
        Assert.Equal(HttpConfig.Default, pd.HttpConfig);
    }

    [Fact]
    public void ToString_HidesTheRoutingKey()
    {
        var pd = Read("routing_key: R0UT1NGK3Y-secret");

        Assert.DoesNotContain("R0UT1NGK3Y", pd.ToString(), StringComparison.Ordinal);
        Assert.Contains("RoutingKey = <secret>", pd.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string, string> RefusedCases() => new()
    {
        { "service key (Events API v1)", "service_key: abc", 5, "receivers[0].pagerduty_configs[0].service_key",
            "not supported by AlertRelay: service_key is an Events API v1 (Generic API) key; AlertRelay speaks Events API v2: use routing_key" },
        { "service key file", "service_key_file: /run/secrets/pd", 5, "receivers[0].pagerduty_configs[0].service_key_file",
            "not supported by AlertRelay: service_key_file is an Events API v1" },
        { "no key", "severity: critical", 5, "receivers[0].pagerduty_configs[0]",
            "missing routing key in PagerDuty config: one of routing_key or routing_key_file must be configured" },
        { "key and key file", "routing_key: abc\nrouting_key_file: /run/secrets/pd", 6, "receivers[0].pagerduty_configs[0]",
            "at most one of routing_key & routing_key_file must be configured" },
        { "custom_details (not Alertmanager's name)", "routing_key: abc\ncustom_details: {a: b}", 6, "receivers[0].pagerduty_configs[0].custom_details",
            "unknown field \"custom_details\" (Alertmanager's field is details" },
        { "unknown field", "routing_key: abc\nseverty: critical", 6, "receivers[0].pagerduty_configs[0].severty",
            "unknown field \"severty\" (did you mean \"severity\"?)" },
        { "a literal severity PagerDuty refuses", "routing_key: abc\nseverity: page", 6, "receivers[0].pagerduty_configs[0].severity",
            "invalid PagerDuty severity \"page\": one of critical, error, warning, info" },
        { "a Go template", "routing_key: abc\ndescription: '{{ .CommonLabels.alertname }}'", 6, "receivers[0].pagerduty_configs[0].description",
            "looks like an Alertmanager (Go) template" },
        { "a Go template in details", "routing_key: abc\ndetails:\n  firing: '{{ .Alerts.Firing }}'", 7, "receivers[0].pagerduty_configs[0].details.firing",
            "looks like an Alertmanager (Go) template" },
        { "a Go template in a link", "routing_key: abc\nlinks:\n  - href: '{{ .ExternalURL }}'", 7, "receivers[0].pagerduty_configs[0].links[0].href",
            "looks like an Alertmanager (Go) template" },
        { "an unknown image field", "routing_key: abc\nimages:\n  - source: x", 7, "receivers[0].pagerduty_configs[0].images[0].source",
            "unknown field \"source\"" },
        { "a bad url", "routing_key: abc\nurl: ftp://events.example.com", 6, "receivers[0].pagerduty_configs[0].url",
            "unsupported scheme \"ftp\" for URL (http or https)" },
        { "a bad timeout", "routing_key: abc\ntimeout: soon", 6, "receivers[0].pagerduty_configs[0].timeout", "" },
        { "send_resolved not a boolean", "routing_key: abc\nsend_resolved: maybe", 6, "receivers[0].pagerduty_configs[0].send_resolved",
            "expected a boolean (true or false), got \"maybe\"" },
        { "an http_config AlertRelay cannot honour", "routing_key: abc\nhttp_config: {proxy_url: 'http://proxy:3128'}", 6,
            "receivers[0].pagerduty_configs[0].http_config.proxy_url", "not supported by AlertRelay: proxies are not supported" },
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void Load_RefusesWithFileLineAndPath_WhenAFieldCannotWork(string name, string entry, int line, string path, string message)
    {
        var error = Refused(entry);

        Assert.True((File, line, path) == (error.File, error.Line, error.Path), $"{name}: {error}");
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
    }
}

using AlertRelay.Core.Configuration;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Routing;

namespace AlertRelay.Tests.Configuration;

/// <summary>The <c>heartbeats:</c> section: what it reads, the routes it adds, and each mistake reported with file:line.</summary>
public sealed class HeartbeatConfigTests
{
    private const string Head = """
        route:
          receiver: ops
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
        receivers:
          - name: ops
          - name: pager
        """;

    private static RelayConfig Load(string heartbeats) => RelayConfigLoader.LoadFromYaml(Head + "\n" + heartbeats, "alertrelay.yml");

    private static IReadOnlyList<ConfigError> Errors(string heartbeats) =>
        Assert.Throws<ConfigException>(() => Load(heartbeats)).Errors;

    [Fact]
    public void ReadConfig_ReadsTheHeartbeat_WhenItIsValid()
    {
        var config = Load("""
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"', 'env=~"prod|staging"']
                timeout: 5m
                receiver: pager
            """);

        var heartbeat = Assert.Single(config.Heartbeats);
        Assert.Equal(("prometheus", TimeSpan.FromMinutes(5), "pager"), (heartbeat.Name, heartbeat.Timeout, heartbeat.Receiver));
        Assert.Equal(["alertname=\"Watchdog\"", "env=~\"prod|staging\""], heartbeat.Matchers.Select(m => m.ToString()));
    }

    [Fact]
    public void HeartbeatRoutes_SendsHeartbeatMissingToTheReceiver_BeforeTheConfiguredRoutes()
    {
        var config = Load("""
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 5m
                receiver: ops
              - name: blackbox
                matchers: ['alertname="BlackboxWatchdog"']
                timeout: 10m
                receiver: pager
            """);

        Assert.Equal(["heartbeats[0]", "heartbeats[1]", "route.routes[0]"], config.Route.Routes.Select(r => r.Path));
        Assert.All(config.Route.Routes.Take(2), r => Assert.False(r.Continue));
        // The critical HeartbeatMissing of "prometheus" goes to ops, not to the configured critical route (pager).
        Assert.Equal(["ops"], RoutingStage.Receivers(config.Route, HeartbeatAlert.Labels("prometheus")));
        Assert.Equal(["pager"], RoutingStage.Receivers(config.Route, HeartbeatAlert.Labels("blackbox")));
    }

    [Fact]
    public void HeartbeatRoutes_LeavesTheRouteAlone_WhenNoHeartbeatIsConfigured()
    {
        Assert.Equal(["route.routes[0]"], Load("").Route.Routes.Select(r => r.Path));
    }

    public static TheoryData<string, string, int, string, string> InvalidCases() => new()
    {
        {
            "duplicate name", """
            heartbeats:
              - {name: prometheus, matchers: ['alertname="Watchdog"'], timeout: 5m, receiver: ops}
              - {name: prometheus, matchers: ['alertname="Watchdog"'], timeout: 5m, receiver: ops}
            """, 11, "heartbeats[1].name", "duplicate heartbeat name \"prometheus\" (first defined on line 10)"
        },
        {
            "bad matcher", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname']
                timeout: 5m
                receiver: ops
            """, 11, "heartbeats[0].matchers[0]", "Invalid label matcher `alertname`: bad matcher format"
        },
        {
            "no matchers", """
            heartbeats:
              - name: prometheus
                timeout: 5m
                receiver: ops
            """, 10, "heartbeats[0].matchers", "a heartbeat needs at least one matcher, such as alertname=\"Watchdog\""
        },
        {
            "missing name", """
            heartbeats:
              - matchers: ['alertname="Watchdog"']
                timeout: 5m
                receiver: ops
            """, 10, "heartbeats[0].name", "missing required field \"name\""
        },
        {
            "missing timeout", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                receiver: ops
            """, 10, "heartbeats[0]", "missing required field \"timeout\""
        },
        {
            "zero timeout", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 0s
                receiver: ops
            """, 12, "heartbeats[0].timeout", "a heartbeat timeout must be greater than 0, got 0s"
        },
        {
            "bad timeout", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 5 minutes
                receiver: ops
            """, 12, "heartbeats[0].timeout", "not a valid duration string: \"5 minutes\""
        },
        {
            "missing receiver", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 5m
            """, 10, "heartbeats[0].receiver", "missing required field \"receiver\""
        },
        {
            "unknown receiver", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 5m
                receiver: nobody
            """, 13, "heartbeats[0].receiver", "undefined receiver \"nobody\""
        },
        {
            "unknown key", """
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timout: 5m
                receiver: ops
            """, 12, "heartbeats[0].timout", "unknown field \"timout\" (did you mean \"timeout\"?)"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void ReadConfig_ReportsFileLine_WhenAHeartbeatIsInvalid(string name, string heartbeats, int line, string path, string message)
    {
        var errors = Errors(heartbeats);

        Assert.True(errors.Any(e => e.File == "alertrelay.yml" && e.Line == line && e.Path == path && e.Message.StartsWith(message, StringComparison.Ordinal)),
            $"{name}: {string.Join(" | ", errors)}");
    }
}

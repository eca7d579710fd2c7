using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.TestData;

/// <summary>A relay configuration whose one receiver, oncall, has a Slack integration that sends resolves: every alert queues notifications.</summary>
public static class OncallConfig
{
    public const string Yaml = """
        route:
          receiver: oncall
        receivers:
          - name: oncall
            slack_configs:
              - channel: '#oncall'
                bot_token: xoxb-test
                send_resolved: true
        """;

    /// <summary>The configuration, with <paramref name="moreYaml"/> (further top-level sections) added.</summary>
    public static RelayConfig Load(string moreYaml = "") => RelayConfigLoader.LoadFromYaml(Yaml + "\n" + moreYaml, "alertrelay.yml");
}

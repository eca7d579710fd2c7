using AlertRelay.Tests.TestData;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>The built AlertRelay.Api as a real child process on 127.0.0.1 and a free port, on a given database and configuration file.</summary>
public static class RelayProcess
{
    /// <summary>
    /// The harness's configuration: every alert is stored, and those labelled <see cref="WebhookBodies.NotifyLabel"/>="yes"
    /// also go to Slack (the stub), so that each test chooses how many notifications its load makes.
    /// </summary>
    public static Task WriteConfigAsync(string configPath, SlackStub slack, bool sendResolved = false) =>
        File.WriteAllTextAsync(configPath, $"""
            route:
              receiver: store-only
              routes:
                - matchers: ['{WebhookBodies.NotifyLabel}="yes"']
                  receiver: oncall
            receivers:
              - name: store-only
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    bot_token: {slack.Token}
                    api_base_url: {slack.BaseUrl}
                    send_resolved: {(sendResolved ? "true" : "false")}
            """);

    /// <summary>
    /// Starts the relay and waits until /readyz answers 200; <paramref name="settings"/> are environment variables added or
    /// overriding the defaults; <paramref name="port"/> (a free one when not given) lets a restarted relay keep its address.
    /// </summary>
    public static Task<ServerProcess> StartAsync(string databasePath, string configPath, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["AlertRelay__ConfigFile"] = configPath,
            ["AlertRelay__Database__Path"] = databasePath,
            ["AlertRelay__Notify__InitialBackoffSeconds"] = "0.2",
            ["AlertRelay__Notify__MaxBackoffSeconds"] = "1",
            ["AlertRelay__Notify__LeaseSeconds"] = "5",
            // A webhook that finds the inbox empty is answered 200 once applied: on a loaded test machine give that more than 1 s.
            ["AlertRelay__Ingest__ApplyWaitMilliseconds"] = "10000",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return ServerProcess.StartDotnetAsync(Path.Combine(AppContext.BaseDirectory, "AlertRelay.Api.dll"), port ?? FreePort.Get(), "/readyz", environment);
    }
}

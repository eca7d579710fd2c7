using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Heartbeats;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>
/// Heartbeats through the real host on a fake clock: the worker's pass opens HeartbeatMissing after the timeout (stored, routed to
/// the heartbeat's receiver, posted to Slack), resolves it when the Watchdog is back (the Slack message updated), waits one timeout
/// after a restart that followed a long downtime, and re-sends of the Watchdog keep it well. One class: the tests run one at a time.
/// </summary>
public sealed class HeartbeatHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
    private SlackStub _slack = null!;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        Directory.CreateDirectory(_directory);
        _configPath = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(_configPath, $"""
            route:
              receiver: team
            receivers:
              - name: team
              - name: ops
                slack_configs:
                  - channel: '#ops'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
                    send_resolved: true
            heartbeats:
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: 1m
                receiver: ops
            """);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// A host on <paramref name="time"/> with its database in this test's directory (so that a second host finds it). Talk to Host only:
    /// App's own clients would start a second relay, on the real clock, on the same database.
    /// </summary>
    private (AlertRelayApp App, WebApplicationFactory<Program> Host) Start(FakeTimeProvider time)
    {
        var app = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = _configPath,
            ["AlertRelay:Database:Path"] = Path.Combine(_directory, "alertrelay.db"),
        });
        var host = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time)));
        _ = host.Services; // started: the worker's first pass runs now
        return (app, host);
    }

    private static HttpClient Reader(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.ReadToken);
        return client;
    }

    private static async Task PostWatchdogAsync(WebApplicationFactory<Program> host)
    {
        var body = $$"""
            {"receiver":"relay","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"Watchdog","severity":"none"},"annotations":{},
             "startsAt":"{{Rfc3339.Format(T0.AddHours(-1))}}","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"0000000000000001"}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}
            """;
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.WebhookToken);
        (await client.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> HeartbeatAsync(WebApplicationFactory<Program> host) =>
        (await Reader(host).GetFromJsonAsync<JsonElement>("/api/heartbeats"))[0];

    /// <summary>Moves the clock on and waits for the heartbeat pass of that instant (the worker's timer fires on the advance).</summary>
    private static async Task<JsonElement> AdvanceAndCheckAsync(FakeTimeProvider time, WebApplicationFactory<Program> host, TimeSpan by)
    {
        time.Advance(by);
        var now = time.GetUtcNow();
        JsonElement heartbeat = default;
        await Eventually.UntilAsync(async () =>
        {
            heartbeat = await HeartbeatAsync(host);
            return heartbeat.GetProperty("checkedAt").ValueKind == JsonValueKind.String && heartbeat.GetProperty("checkedAt").GetDateTimeOffset() == now;
        }, TimeSpan.FromSeconds(20), $"the heartbeat pass at {now:O}");
        return heartbeat;
    }

    private static async Task<JsonElement[]> HeartbeatMissingAsync(WebApplicationFactory<Program> host) =>
        (await Reader(host).GetFromJsonAsync<JsonElement>("/api/alerts?alertname=HeartbeatMissing")).GetProperty("items").EnumerateArray().ToArray();

    [Fact]
    public async Task HeartbeatWorker_OpensHeartbeatMissingThenResolvesIt_WhenTheWatchdogStopsThenComesBack()
    {
        var time = new FakeTimeProvider(T0);
        var (app, host) = Start(time);
        using (app)
        using (host)
        {
            await PostWatchdogAsync(host);
            var well = await AdvanceAndCheckAsync(time, host, TimeSpan.FromSeconds(55));
            var missing = await AdvanceAndCheckAsync(time, host, TimeSpan.FromSeconds(5)); // 60 s after the Watchdog: its timeout

            await Eventually.UntilAsync(() => _slack.TopLevelMessages.Count == 1, TimeSpan.FromSeconds(20), "HeartbeatMissing posted to Slack");
            var occurrence = Assert.Single(await HeartbeatMissingAsync(host));
            Assert.Equal("ok", well.GetProperty("status").GetString());
            Assert.Equal("missing", missing.GetProperty("status").GetString());
            Assert.Equal(T0.AddSeconds(60), missing.GetProperty("missingSince").GetDateTimeOffset());
            Assert.Equal(("firing", "critical", "alertrelay", "heartbeat:prometheus"), (occurrence.GetProperty("status").GetString(),
                occurrence.GetProperty("severity").GetString(), occurrence.GetProperty("receiver").GetString(), occurrence.GetProperty("groupKey").GetString()));
            Assert.Equal(["ops"], occurrence.GetProperty("receivers").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal("Heartbeat prometheus is missing: last seen 2026-12-04T12:00:00.000Z", occurrence.GetProperty("annotations").GetProperty("summary").GetString());
            Assert.Equal(HeartbeatAlert.RunbookUrl, occurrence.GetProperty("annotations").GetProperty("runbook_url").GetString());
            Assert.Contains("HeartbeatMissing", _slack.TopLevelMessages[0].AllText);
            var metrics = await host.CreateClient().GetStringAsync("/metrics"); // the fake-clock host (app itself would start a second relay on the real clock)
            Assert.Matches(@"(?m)^alertrelay_heartbeat_missing\{heartbeat=""prometheus""\} 1$", metrics);
            Assert.Matches(@"(?m)^alertrelay_heartbeat_seconds_since_seen\{heartbeat=""prometheus""\} 60$", metrics);
            await Eventually.UntilAsync(async () => (await Reader(host).GetFromJsonAsync<JsonElement>("/api/notifications?status=sent")).GetArrayLength() == 1,
                TimeSpan.FromSeconds(20), "the firing notification recorded as sent");

            time.Advance(TimeSpan.FromSeconds(1));
            await PostWatchdogAsync(host);
            var back = await AdvanceAndCheckAsync(time, host, TimeSpan.FromSeconds(4));

            await Eventually.UntilAsync(() => _slack.TopLevelMessages[0].UpdateCount == 1, TimeSpan.FromSeconds(20), "the Slack message updated to resolved");
            Assert.Equal("ok", back.GetProperty("status").GetString());
            var resolved = Assert.Single(await HeartbeatMissingAsync(host));
            Assert.Equal(("resolved", T0.AddSeconds(65)), (resolved.GetProperty("status").GetString(), resolved.GetProperty("endsAt").GetDateTimeOffset()));
            Assert.Single(_slack.TopLevelMessages);
        }
    }

    [Fact]
    public async Task HeartbeatWorker_WaitsOneTimeout_WhenTheRelayWasDownLongerThanTheTimeout()
    {
        var before = new FakeTimeProvider(T0);
        var (firstApp, firstHost) = Start(before);
        using (firstApp)
        using (firstHost)
        {
            await PostWatchdogAsync(firstHost);
            await AdvanceAndCheckAsync(before, firstHost, TimeSpan.FromSeconds(5));
        }

        var after = new FakeTimeProvider(T0.AddMinutes(10)); // down for 10 minutes, the Watchdog's source too
        var (app, host) = Start(after);
        using (app)
        using (host)
        {
            var withinGrace = await AdvanceAndCheckAsync(after, host, TimeSpan.FromSeconds(55));
            Assert.Equal("waiting", withinGrace.GetProperty("status").GetString());
            Assert.Equal(T0.AddMinutes(11), withinGrace.GetProperty("dueAt").GetDateTimeOffset());
            Assert.Empty(await HeartbeatMissingAsync(host));

            var graceOver = await AdvanceAndCheckAsync(after, host, TimeSpan.FromSeconds(5));

            Assert.Equal("missing", graceOver.GetProperty("status").GetString());
            var occurrence = Assert.Single(await HeartbeatMissingAsync(host));
            Assert.Equal(T0.AddMinutes(11), occurrence.GetProperty("startsAt").GetDateTimeOffset());
            await Eventually.UntilAsync(() => _slack.TopLevelMessages.Count == 1, TimeSpan.FromSeconds(20), "HeartbeatMissing posted to Slack");
        }
    }

    [Fact]
    public async Task ListHeartbeats_Answers401_WithoutTheReadToken()
    {
        var (app, host) = Start(new FakeTimeProvider(T0));
        using (app)
        using (host)
        {
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await host.CreateClient().GetAsync("/api/heartbeats")).StatusCode);
        }
    }

    [Fact]
    public async Task HeartbeatWorker_KeepsTheHeartbeatWell_WhenTheWatchdogIsReSent()
    {
        var time = new FakeTimeProvider(T0);
        var (app, host) = Start(time);
        using (app)
        using (host)
        {
            for (var i = 0; i < 6; i++)
            {
                await PostWatchdogAsync(host); // Alertmanager's re-send: the same alert, a duplicate for the history
                var heartbeat = await AdvanceAndCheckAsync(time, host, TimeSpan.FromSeconds(50));
                Assert.Equal("ok", heartbeat.GetProperty("status").GetString());
            }

            Assert.Empty(await HeartbeatMissingAsync(host));
            Assert.Empty(_slack.TopLevelMessages);
            var watchdog = Assert.Single((await Reader(host).GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray());
            Assert.Equal("Watchdog", watchdog.GetProperty("alertname").GetString());
        }
    }
}

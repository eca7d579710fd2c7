using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>
/// The unmute pass through the real host on a fake clock: a critical arriving at 08:50 for a pager route active in office hours only
/// is not posted; when the clock reaches 09:00 the ingest worker's pass posts it to Slack, with an <c>unmuted</c> event.
/// </summary>
public sealed class UnmuteHostTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday0850 = new(2026, 11, 30, 8, 50, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
    private SlackStub _slack = null!;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        Directory.CreateDirectory(_directory);
        _configPath = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(_configPath, $$"""
            route:
              receiver: team
              routes:
                - matchers: ['severity="critical"']
                  receiver: pager
                  active_time_intervals: [office-hours]
            receivers:
              - name: team
              - name: pager
                slack_configs:
                  - channel: '#pager'
                    bot_token: {{_slack.Token}}
                    api_base_url: {{_slack.BaseUrl}}
                    send_resolved: true
            time_intervals:
              - name: office-hours
                time_intervals:
                  - weekdays: ['monday:friday']
                    times: [{start_time: '09:00', end_time: '17:00'}]
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

    [Fact]
    public async Task IngestWorker_PostsTheMutedAlert_WhenOfficeHoursBegin()
    {
        var time = new FakeTimeProvider(Monday0850);
        using var app = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = _configPath,
            ["AlertRelay:Database:Path"] = Path.Combine(_directory, "alertrelay.db"),
        });
        using var host = app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time)));
        var webhook = host.CreateClient();
        webhook.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.WebhookToken);
        var reader = host.CreateClient();
        reader.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.ReadToken);
        var body = $$"""
            {"receiver":"relay","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"NodeDown","severity":"critical"},"annotations":{},
             "startsAt":"{{Rfc3339.Format(Monday0850)}}","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"0000000000000001"}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}
            """;
        (await webhook.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var id = (await reader.GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items")[0].GetProperty("id").GetInt64();

        time.Advance(TimeSpan.FromMinutes(5)); // 08:55: the pass runs, nothing is due
        time.Advance(TimeSpan.FromMinutes(5)); // 09:00

        await Eventually.UntilAsync(() => _slack.TopLevelMessages.Count == 1, TimeSpan.FromSeconds(20), "the critical posted to #pager at 09:00");
        var events = await reader.GetStringAsync($"/api/alerts/{id}");
        Assert.Contains("\"muted\"", events, StringComparison.Ordinal);
        Assert.Contains("\"unmuted\"", events, StringComparison.Ordinal);
        Assert.Contains("NodeDown", _slack.TopLevelMessages[0].AllText, StringComparison.Ordinal);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using AlertRelay.Tests.Api;
using AlertRelay.Tests.TestData;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>A real Alertmanager 0.25 delivering to AlertRelay over a real socket: the webhook contract end to end.</summary>
public sealed class AlertmanagerWebhookTests : IAsyncLifetime
{
    private readonly AlertRelayApp _relay = new(new() { ["AlertRelay:Database:BusyTimeoutSeconds"] = "1" });
    private readonly string _alertname = "E2E_" + Guid.NewGuid().ToString("N")[..8];
    private ServerProcess _alertmanager = null!;

    public async Task InitializeAsync()
    {
        var relayUrl = _relay.StartOnLoopback();
        _alertmanager = await AlertmanagerProcess.StartAsync(directory: Path.Combine(_relay.Directory, "alertmanager"), configYaml: $"""
            route:
              receiver: relay
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: relay
                webhook_configs:
                  - url: {relayUrl}/webhook
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: {AlertRelayApp.WebhookToken}
            """);
    }

    public async Task DisposeAsync()
    {
        await _alertmanager.DisposeAsync();
        _relay.Dispose();
    }

    private static readonly DateTimeOffset StartsAt = DateTimeOffset.UtcNow.AddSeconds(-30);

    private async Task PostToAlertmanagerAsync(DateTimeOffset? endsAt)
    {
        var alert = new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["alertname"] = _alertname, ["severity"] = "critical", ["instance"] = "api:3000" },
            ["annotations"] = new Dictionary<string, string> { ["summary"] = "end-to-end" },
            ["startsAt"] = StartsAt.ToString("O"),
        };
        if (endsAt is { } end)
        {
            alert["endsAt"] = end.ToString("O");
        }

        var response = await _alertmanager.Client.PostAsJsonAsync("/api/v2/alerts", new[] { alert });
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> WaitForAlertAsync(string status)
    {
        var client = _relay.ReaderClient();
        var page = default(JsonElement);
        await Eventually.UntilAsync(
            async () =>
            {
                page = await client.GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={_alertname}");
                var items = page.GetProperty("items");
                return items.GetArrayLength() > 0 && items[0].GetProperty("status").GetString() == status;
            },
            TimeSpan.FromSeconds(30), $"a {status} {_alertname} in AlertRelay. Alertmanager log:", () => _alertmanager.Output);
        return page;
    }

    private async Task<string> AlertmanagersFingerprintAsync()
    {
        var alerts = await _alertmanager.Client.GetFromJsonAsync<JsonElement>($"/api/v2/alerts?filter=alertname%3D%22{_alertname}%22");
        return alerts[0].GetProperty("fingerprint").GetString()!;
    }

    [Fact]
    public async Task Alertmanager_DeliversFiringThenResolved_AndAlertRelayKeepsOneOccurrence()
    {
        await PostToAlertmanagerAsync(endsAt: null);
        var firing = await WaitForAlertAsync("firing");
        var fingerprint = await AlertmanagersFingerprintAsync();

        await PostToAlertmanagerAsync(endsAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        var resolved = await WaitForAlertAsync("resolved");

        var alert = Assert.Single(resolved.GetProperty("items").EnumerateArray());
        Assert.Equal(fingerprint, alert.GetProperty("fingerprint").GetString());
        Assert.Equal(firing.GetProperty("items")[0].GetProperty("id").GetInt64(), alert.GetProperty("id").GetInt64());
        Assert.Equal(StartsAt.ToUnixTimeMilliseconds(), alert.GetProperty("startsAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal("relay", alert.GetProperty("receiver").GetString());
        Assert.Equal($"{{}}:{{alertname=\"{_alertname}\"}}", alert.GetProperty("groupKey").GetString());
        var detail = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}");
        Assert.Equal(["received", "routed", "resolved"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());
    }

    [Fact]
    public async Task Alertmanager_RetriesAfter503_AndTheAlertIsStoredOnce()
    {
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_relay.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var writeLock = blocker.BeginTransaction(deferred: false); // the store cannot commit
            await PostToAlertmanagerAsync(endsAt: null);

            await Eventually.UntilAsync(
                async () => await _alertmanager.MetricAsync("alertmanager_notifications_failed_total", "integration=\"webhook\"") >= 1,
                TimeSpan.FromSeconds(20), "Alertmanager to see a failed delivery", () => _alertmanager.Output);
        }

        var stored = await WaitForAlertAsync("firing");

        Assert.Single(stored.GetProperty("items").EnumerateArray());
        Assert.True(await _alertmanager.MetricAsync("alertmanager_notification_requests_total", "integration=\"webhook\"") >= 2);
        Assert.Contains("503", _alertmanager.Output);
    }
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>
/// The proof of the webhook integration: one AlertRelay forwards through <c>webhook_configs</c> to another AlertRelay's
/// <c>/webhook</c> (a real Kestrel socket, with its webhook token); the second accepts every message on the first attempt and ends
/// up with the same alerts (fingerprint, startsAt, status) as the first.
/// </summary>
public sealed class WebhookForwardingTests : IAsyncLifetime
{
    private AlertRelayApp _downstream = null!;
    private AlertRelayApp _upstream = null!;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        _downstream = new AlertRelayApp();
        var downstreamUrl = _downstream.StartOnLoopback();
        _configPath = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".yml");
        Directory.CreateDirectory(Path.GetDirectoryName(_configPath)!);
        await File.WriteAllTextAsync(_configPath, $"""
            route:
              receiver: forward
            receivers:
              - name: forward
                webhook_configs:
                  - url: {downstreamUrl}/webhook
                    http_config:
                      authorization:
                        credentials: {AlertRelayApp.WebhookToken}
            """);
        _upstream = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = _configPath });
    }

    public Task DisposeAsync()
    {
        _upstream.Dispose();
        _downstream.Dispose();
        File.Delete(_configPath);
        return Task.CompletedTask;
    }

    private static async Task<List<JsonElement>> NotificationsAsync(AlertRelayApp app) =>
        [.. (await app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/notifications?limit=200")).EnumerateArray()];

    private static async Task<string[]> AlertsAsync(AlertRelayApp app) =>
        [.. (await app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?limit=200")).GetProperty("items").EnumerateArray()
            .Select(a => $"{a.GetProperty("fingerprint").GetString()} {a.GetProperty("startsAt").GetDateTime():O} {a.GetProperty("status").GetString()}")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Forwarding_StoresTheSameAlertsDownstream_WhenOneAlertRelayPostsToAnothersWebhook()
    {
        foreach (var fixture in new[]
                 {
                     Fixtures.FiringSingle, Fixtures.FiringGroupOfTwo, Fixtures.GroupOneFiringOneResolved, Fixtures.ResolvedSingle,
                     Fixtures.RefiredNewStartsAt,
                 })
        {
            (await _upstream.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json")))
                .EnsureSuccessStatusCode();
            // One body at a time, as Alertmanager's group_interval spaces them: each forwarded before the next comes in.
            await Eventually.UntilAsync(
                async () => (await NotificationsAsync(_upstream)).All(n => n.GetProperty("status").GetString() != "pending"),
                TimeSpan.FromSeconds(20), $"the notifications of {fixture} to be forwarded");
        }

        var notifications = await NotificationsAsync(_upstream);
        Assert.Equal(6, notifications.Count); // 1 + 2 firings, 2 resolves, 1 re-firing
        Assert.All(notifications, n => Assert.Equal(("webhook", "sent", 1), (n.GetProperty("integration").GetString(), n.GetProperty("status").GetString(), n.GetProperty("attempts").GetInt32())));
        var upstream = await AlertsAsync(_upstream);
        Assert.Equal(4, upstream.Length); // HighErrorRate twice (re-fired: a new occurrence), HighResponseTime on two routes
        await Eventually.UntilAsync(async () => (await AlertsAsync(_downstream)).SequenceEqual(upstream), TimeSpan.FromSeconds(10), "the same alerts downstream");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;
using Xunit.Abstractions;

namespace AlertRelay.Tests.Api;

/// <summary>
/// From Alertmanager's webhook to a generic webhook through the real host and its outbox: retries after 429 with Retry-After and
/// after an outage deliver each notification once, with the timeline and the metrics by integration.
/// </summary>
public sealed class WebhookDeliveryFlowTests(ITestOutputHelper output) : IAsyncLifetime
{
    private WebhookStub _stub = null!;
    private AlertRelayApp _app = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _stub = await WebhookStub.StartAsync();
        _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, "hook-url"), _stub.Url + "\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "hook-password"), "hunter2\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "alertrelay.yml"), $"""
            route:
              receiver: hooks
            receivers:
              - name: hooks
                webhook_configs:
                  - url_file: {_directory}/hook-url
                    max_alerts: 1
                    http_config:
                      basic_auth:
                        username: relay
                        password_file: {_directory}/hook-password
            """);
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = Path.Combine(_directory, "alertrelay.yml"),
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _stub.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task PostAsync(string fixture) =>
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json")))
        .EnsureSuccessStatusCode();

    private async Task<List<JsonElement>> NotificationsAsync(string status) =>
        [.. (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/notifications?status={status}")).EnumerateArray()];

    private static Task WaitForAsync(Func<Task<bool>> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what);

    [Fact]
    public async Task Delivery_WaitsForRetryAfter_WhenTheWebhookAnswers429()
    {
        _stub.AnswerNext(HttpStatusCode.TooManyRequests, retryAfterSeconds: 2);

        await PostAsync(Fixtures.FiringSingle);
        await WaitForAsync(async () => (await NotificationsAsync("sent")).Count == 1, "the notification sent after the 429");

        output.WriteLine(_stub.Requests[1].Body); // a real body as the webhook received it
        Assert.Equal([429, 200], _stub.Requests.Select(r => r.Status));
        Assert.True(_stub.Requests[1].ReceivedAt - _stub.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(1.9), "the retry came before Retry-After");
        Assert.Equal(_stub.Requests[0].Body, _stub.Requests[1].Body);
        Assert.All(_stub.Requests, r => Assert.Equal("Basic cmVsYXk6aHVudGVyMg==", r.Authorization)); // relay:hunter2
    }

    [Fact]
    public async Task Outage_OfTheWebhook_DeliversEachNotificationOnceAfterRecovery()
    {
        await _stub.GoDownAsync();

        await PostAsync(Fixtures.FiringGroupOfTwo);
        await PostAsync(Fixtures.GroupOneFiringOneResolved);
        await WaitForAsync(
            async () => (await NotificationsAsync("pending")).Any(n => n.GetProperty("attempts").GetInt32() >= 2), "failed attempts while the webhook is down");

        await _stub.ComeBackAsync();
        await WaitForAsync(async () => (await NotificationsAsync("sent")).Count == 3 && (await NotificationsAsync("pending")).Count == 0, "every notification sent");

        // The firing of the alert that resolved during the outage is not sent stale: its resolve tells it, once.
        var delivered = _stub.Delivered.Select(r => $"{r.Json!["status"]} {string.Join(",", r.Fingerprints)}").Order(StringComparer.Ordinal);
        Assert.Equal(["firing b92b7a90184f11a9", "resolved 1db7e1b5a5410918"], delivered);
        Assert.All(_stub.Delivered, r => Assert.Equal(0, r.Json!["truncatedAlerts"]!.GetValue<int>()));

        var alerts = await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts");
        var id = alerts.GetProperty("items")[0].GetProperty("id").GetInt64();
        var kinds = (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("notification_retry", kinds);
        Assert.Contains("notified", kinds);
        var metrics = await _app.ClientWith(null).GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^alertrelay_notifications_total\{integration=""webhook"",receiver=""hooks""\} 3", metrics);
        Assert.Matches(@"(?m)^alertrelay_notifications_failed_total\{integration=""webhook"",.*\} [1-9]", metrics);
    }
}

using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using AlertRelay.Core.Alerts;
using AlertRelay.Tests.Configuration;
using AlertRelay.Tests.TestData;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>
/// The real host after it has recorded every AlertRelay metric: webhooks good and bad, a query refused, reloads that succeed and
/// fail, a tampered alert page link, an escalation step, Slack deliveries, a dead letter (wrong bot token), email retries (nothing listens on its smarthost)
/// and a reclaimed notification. <see cref="Scrape"/> is /metrics at the end; the collectors read the host's own meter.
/// </summary>
public sealed class MetricsEndpointFixture : IAsyncLifetime
{
    private SlackStub _slack = null!;
    private string _configPath = null!;

    public AlertRelayApp App { get; private set; } = null!;

    public MetricsScrape Scrape { get; private set; } = null!;

    /// <summary>Collectors on the host's meter, by instrument name, started before anything was recorded.</summary>
    public Dictionary<string, MetricCollector<long>> Counters { get; } = [];

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        _configPath = RepositoryFiles.WriteTemp($"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    api_url: {_slack.WebhookUrl}
                    send_resolved: true
                  - channel: '#wrong-token'
                    bot_token: not-the-token
                    api_base_url: {_slack.BaseUrl}
                email_configs:
                  - to: ops@example.com
                    from: alertrelay@example.com
                    smarthost: 127.0.0.1:{FreePort.Get()}
                    require_tls: false
            escalations:
              - name: critical-unacknowledged
                matchers: ['severity="critical"']
                steps:
                  - after: 1s
                    set_severity: critical
                repeat: [30m]
            heartbeats:
              - name: relay
                matchers: ['alertname="HighErrorRate"']
                timeout: 1h
                receiver: oncall
            """);
        App = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = _configPath,
            ["AlertRelay:Ingest:MaxBodyBytes"] = "65536",
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "0.5",
            ["AlertRelay:Notify:MaxAttempts"] = "1000",
            ["AlertRelay:Slack:SigningSecret"] = "metrics-signing-secret",
            ["AlertRelay:Links:Secret"] = "metrics-test-links-secret-0123456789abcdef",
            ["AlertRelay:PublicUrl"] = "https://relay.example.com",
            ["AlertRelay:Heartbeats:CheckIntervalSeconds"] = "1",
        });
        var meters = App.Services.GetRequiredService<IMeterFactory>();
        foreach (var name in new[]
        {
            "alertrelay_alerts_stored_total", "alertrelay_alerts_duplicate_total", "alertrelay_alerts_truncated_total",
            "alertrelay_webhooks_received_total", "alertrelay_ingest_commit_failures_total",
        })
        {
            Counters[name] = new MetricCollector<long>(meters, AlertRelayMeter.Name, name);
        }

        await RecordEveryMetricAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var collector in Counters.Values)
        {
            collector.Dispose();
        }

        App.Dispose();
        await _slack.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(_configPath)!, recursive: true);
    }

    private async Task RecordEveryMetricAsync()
    {
        var webhook = App.WebhookClient();
        async Task<HttpStatusCode> PostAsync(string body, HttpClient? client = null) =>
            (await (client ?? webhook).PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).StatusCode;

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Fixtures.Text(Fixtures.FiringSingle)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Fixtures.Text(Fixtures.FiringSingle)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Fixtures.Text(Fixtures.FiringGroupOfTwo).Replace("\"truncatedAlerts\":0", "\"truncatedAlerts\":3")));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Fixtures.Text(Fixtures.ResolvedSingle)));
        var startsAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(
            $$"""{"version":"4","status":"firing","receiver":"relay","alerts":[{"status":"firing","labels":{"alertname":"Escalates","severity":"critical"},"startsAt":"{{startsAt}}"}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("{"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync("""{"version":"4"}"""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync(new string(' ', 70_000)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(Fixtures.Text(Fixtures.FiringSingle), App.ClientWith(null)));

        var unsigned = new StringContent("payload=%7B%7D", Encoding.UTF8, "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.ClientWith(null).PostAsync("/slack/interactions", unsigned)).StatusCode);

        var reader = App.ReaderClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/alerts?limit=abc")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.PostAsync("/-/reload", null)).StatusCode);
        var good = await File.ReadAllTextAsync(_configPath);
        await File.WriteAllTextAsync(_configPath, "route: [");
        Assert.Equal(HttpStatusCode.InternalServerError, (await reader.PostAsync("/-/reload", null)).StatusCode);
        await File.WriteAllTextAsync(_configPath, good);
        Assert.Equal(HttpStatusCode.Forbidden, (await App.CreateClient().GetAsync($"/alerts/1?action=view&exp=4102444800&sig={new string('A', 43)}")).StatusCode);

        await Eventually.UntilAsync(async () =>
        {
            Scrape = await ScrapeAsync();
            return Scrape.Has("alertrelay_notifications_total", "integration", "slack")
                && Scrape.Has("alertrelay_notifications_failed_total", "reason", "dead")
                && Scrape.Has("alertrelay_notifications_failed_total", "integration", "email")
                && Scrape.Has("alertrelay_escalation_steps_total", "policy", "critical-unacknowledged")
                && Scrape.Has("alertrelay_reminders_total", "policy", "critical-unacknowledged") // firing for an hour: one overdue reminder
                && Scrape.Has("alertrelay_heartbeat_seconds_since_seen", "heartbeat", "relay"); // HighErrorRate seen, then a heartbeat pass
        }, TimeSpan.FromSeconds(30), "deliveries, a retry, a dead letter, an escalation step, a reminder and a heartbeat seen");

        // The email is retried for as long as the test runs. A lease left behind is what a relay that died holding the
        // notification leaves, and the next claim is a reclaim. The dispatcher clears the lease when it records an outcome,
        // so lay one down again until a claim finds it.
        await Eventually.UntilAsync(async () =>
        {
            await using (var connection = new SqliteConnection($"Data Source={App.DatabasePath};Default Timeout=5;Pooling=False"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText =
                    "UPDATE notifications SET claimed_until_ms = 1 WHERE status = 'pending' AND integration = 'email' AND claimed_until_ms IS NULL";
                await command.ExecuteNonQueryAsync();
            }

            Scrape = await ScrapeAsync();
            return Scrape.Has("alertrelay_notifications_reclaimed_total", "integration", "email");
        }, TimeSpan.FromSeconds(30), "a reclaimed notification");
    }

    private async Task<MetricsScrape> ScrapeAsync() => MetricsScrape.Parse(await App.ClientWith(null).GetStringAsync("/metrics"));
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Tests.TestData;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Reliability;

/// <summary>
/// The built relay as a real process under a steady webhook load while Slack answers 500, then 429 with Retry-After, then
/// nothing at all (timeouts), and then while the SMTP server is down. Meanwhile /readyz stays 200 (ingest works: readiness is
/// about accepting alerts, never about Slack or SMTP), every webhook is answered 2xx, the metrics tell the truth (failed
/// attempts counted as <c>reason="retry"</c>, a pending backlog, no dead letters), the last error names the cause, and the
/// integration that works keeps delivering. Then the generic webhook (<c>webhook_configs</c>) is down (connections refused) and
/// comes back, PagerDuty throttles every event (429 with Retry-After), and the Teams Workflows webhook is down. After recovery every
/// notification is delivered exactly once (one Slack message, e-mail, webhook POST, PagerDuty trigger and Teams card per alert) and the
/// outbox is empty.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed partial class OutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Phase = TimeSpan.FromSeconds(4);
    private const int RetryAfterSeconds = 2;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "outage-" + Guid.NewGuid().ToString("N"));
    private readonly string _prefix = "outage" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private WebhookStub _webhook = null!;
    private PagerDutyStub _pagerDuty = null!;
    private TeamsStub _teams = null!;
    private ServerProcess _relay = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();
        _webhook = await WebhookStub.StartAsync();
        _pagerDuty = await PagerDutyStub.StartAsync();
        _teams = await TeamsStub.StartAsync();
        var configPath = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(configPath, $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
                email_configs:
                  - to: ops@example.com
                    from: alertrelay@example.com
                    smarthost: {_smtp.Smarthost}
                    require_tls: false
                webhook_configs:
                  - url: {_webhook.Url}
                pagerduty_configs:
                  - routing_key: 0123456789abcdef0123456789abcdef
                    url: {_pagerDuty.Url}
                msteamsv2_configs:
                  - webhook_url: '{_teams.Url}'
            """);
        _relay = await RelayProcess.StartAsync(Path.Combine(_directory, "history.db"), configPath, new Dictionary<string, string>
        {
            ["AlertRelay__Notify__SlackTimeoutSeconds"] = "1",
            ["AlertRelay__Notify__MaxAttempts"] = "1000", // the outages here last ~4 s each with 1 s backoffs; the default 12 attempts span ~13 minutes
            ["AlertRelay__Notify__DigestThreshold"] = "1000",
        });
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        _slack.EndOutage();
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
        await _webhook.DisposeAsync();
        _pagerDuty.EndOutage();
        await _pagerDuty.DisposeAsync();
        await _teams.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SlackAndSmtpOutages_UnderLoad_KeepIngestReady_TellTheTruth_AndDeliverEverythingOnceAfterRecovery()
    {
        var relayUri = new Uri(_relay.Url);
        await using var readiness = ReadinessSampler.Start(relayUri, TimeSpan.FromMilliseconds(200));
        await using var load = WebhookLoad.Start(relayUri, new WebhookLoadOptions
        {
            Prefix = _prefix, Posters = 2, AlertsPerBody = 2, NotifyEvery = 1, Pause = TimeSpan.FromMilliseconds(250),
        });
        await Eventually.UntilAsync(
            () => load.Posts.Any(p => p.Accepted) && _slack.TopLevelMessages.Count > 0 && _smtp.Messages.Count > 0,
            TimeSpan.FromSeconds(30), "the load to reach Slack and the SMTP server before the outages", () => _relay.Output);

        var slack500 = await OutageAsync("Slack answers 500", "slack", "HTTP 500", load, readiness, () => { _slack.FailAll(); return Task.CompletedTask; });
        _slack.EndOutage();
        var slack429 = await OutageAsync("Slack answers 429", "slack", "HTTP 429", load, readiness, () => { _slack.RateLimitAll(RetryAfterSeconds); return Task.CompletedTask; });
        _slack.EndOutage();
        var slackHangs = await OutageAsync("Slack does not answer", "slack", "timed out", load, readiness, () => { _slack.HangAll(); return Task.CompletedTask; });
        _slack.EndOutage();
        var smtpDown = await OutageAsync("the SMTP server is down", "email", "connection refused", load, readiness, _smtp.StopAsync);
        await _smtp.StartAgainAsync();
        var webhookDown = await OutageAsync("the webhook is down", "webhook", "Connection refused", load, readiness, _webhook.GoDownAsync);
        await _webhook.ComeBackAsync();
        var pagerDuty429 = await OutageAsync("PagerDuty answers 429", "pagerduty", "unexpected status code 429", load, readiness,
            () => { _pagerDuty.RateLimitAll(RetryAfterSeconds); return Task.CompletedTask; });
        _pagerDuty.EndOutage();
        var teamsDown = await OutageAsync("the Teams webhook is down", "msteamsv2", "Connection refused", load, readiness, _teams.GoDownAsync);
        await _teams.ComeBackAsync();
        var acceptedBeforeRecovery = load.Posts.Count(p => p.Accepted);
        await Eventually.UntilAsync(
            () => load.Posts.Count(p => p.Accepted) > acceptedBeforeRecovery, TimeSpan.FromSeconds(30), "webhooks accepted after the recovery", () => _relay.Output);
        await load.StopAsync();

        await Eventually.UntilAsync(
            async () => await _relay.MetricAsync("alertrelay_outbox_pending") == 0 && (await PendingAsync()).GetArrayLength() == 0,
            TimeSpan.FromSeconds(60), "the outbox to drain after recovery", () => _relay.Output);
        await Task.Delay(TimeSpan.FromSeconds(1)); // room for a wrong re-delivery

        foreach (var phase in new[] { slack500, slack429, slackHangs, smtpDown, webhookDown, pagerDuty429, teamsDown })
        {
            output.WriteLine(phase.ToString());
            Assert.True(phase.FailedRetries > 0, $"{phase.Name}: alertrelay_notifications_failed_total{{reason=\"retry\"}} did not rise");
            Assert.True(phase.PendingGauge > 0, $"{phase.Name}: alertrelay_outbox_pending stayed 0");
            // Notifications not tried again yet still show an earlier phase's error.
            Assert.True(phase.LastErrors.Any(e => e.Contains(phase.ExpectedError, StringComparison.Ordinal)),
                $"{phase.Name}: pending notifications' last errors {string.Join(" | ", phase.LastErrors.Distinct())}, expected \"{phase.ExpectedError}\"");
            Assert.Equal(0, phase.Dead);
            Assert.True(phase.Ingested > 0, $"{phase.Name}: no webhook was accepted during the outage");
            Assert.True(phase.ReadyzAnswers.Count >= 5 && phase.ReadyzAnswers.All(s => s == 200),
                $"{phase.Name}: /readyz answered {string.Join(",", phase.ReadyzAnswers)}");
            Assert.True(phase.HealthyLate.Count == 0,
                $"{phase.Name}: the working integration fell behind: no delivery by the end of the outage for alerts accepted 2 s earlier: {string.Join(", ", phase.HealthyLate.Take(10))}");
        }

        Assert.All(readiness.Samples, s => Assert.Equal(200, s.Status));
        var posts = load.Posts;
        Assert.All(posts, p => Assert.True(p.Accepted, $"a webhook was answered {p.Status?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} during the outages"));
        var alerts = posts.SelectMany(p => p.Alerts).Select(a => a.Name).ToList();
        Assert.Equal(alerts.Count, alerts.Distinct().Count());

        // Exactly once: one Slack message and one e-mail per alert, none for anything else.
        var slackByAlert = _slack.TopLevelMessages.GroupBy(m => AlertName(m.Text)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var mailByAlert = _smtp.Messages.GroupBy(m => AlertName(m.Message.Subject ?? "")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Empty(alerts.Where(a => slackByAlert.GetValueOrDefault(a) != 1).Select(a => $"{a}: {slackByAlert.GetValueOrDefault(a)} Slack messages"));
        Assert.Empty(alerts.Where(a => mailByAlert.GetValueOrDefault(a) != 1).Select(a => $"{a}: {mailByAlert.GetValueOrDefault(a)} e-mails"));
        Assert.Equal(alerts.Count, _slack.TopLevelMessages.Count);
        Assert.Equal(alerts.Count, _smtp.Messages.Count);
        Assert.Equal(alerts.Count, _smtp.Messages.Select(m => m.Message.MessageId).Distinct().Count());
        var hookByAlert = _webhook.Delivered.SelectMany(r => r.Json!["alerts"]!.AsArray()).GroupBy(a => a!["labels"]!["alertname"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Empty(alerts.Where(a => hookByAlert.GetValueOrDefault(a) != 1).Select(a => $"{a}: {hookByAlert.GetValueOrDefault(a)} webhook POSTs"));
        Assert.Equal(alerts.Count, _webhook.Delivered.Count);
        var triggersByAlert = _pagerDuty.Accepted.GroupBy(e => AlertName(e.Summary ?? "")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Empty(alerts.Where(a => triggersByAlert.GetValueOrDefault(a) != 1).Select(a => $"{a}: {triggersByAlert.GetValueOrDefault(a)} PagerDuty triggers"));
        Assert.Equal(alerts.Count, _pagerDuty.Accepted.Count(e => e.Action == "trigger"));
        Assert.Equal(alerts.Count, _pagerDuty.Alerts.Count); // one PagerDuty alert per occurrence: retried triggers kept their dedup_key
        var cardsByAlert = _teams.Delivered.GroupBy(r => AlertName(r.Title ?? "")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Empty(alerts.Where(a => cardsByAlert.GetValueOrDefault(a) != 1).Select(a => $"{a}: {cardsByAlert.GetValueOrDefault(a)} Teams cards"));
        Assert.Equal(alerts.Count, _teams.Delivered.Count);

        // The metrics agree with what arrived, and nothing is left or dead.
        Assert.Equal(alerts.Count, await _relay.MetricAsync("alertrelay_notifications_total", "integration=\"slack\""));
        Assert.Equal(alerts.Count, await _relay.MetricAsync("alertrelay_notifications_total", "integration=\"email\""));
        Assert.Equal(alerts.Count, await _relay.MetricAsync("alertrelay_notifications_total", "integration=\"webhook\""));
        Assert.Equal(alerts.Count, await _relay.MetricAsync("alertrelay_notifications_total", "integration=\"pagerduty\""));
        Assert.Equal(alerts.Count, await _relay.MetricAsync("alertrelay_notifications_total", "integration=\"msteamsv2\""));
        Assert.Equal(0, await _relay.MetricAsync("alertrelay_outbox_pending"));
        Assert.Equal(0, await _relay.MetricAsync("alertrelay_outbox_dead"));
        Assert.Equal(0, await _relay.MetricAsync("alertrelay_notifications_failed_total", "reason=\"dead\""));
        Assert.Equal(0, (await _relay.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=dead")).GetArrayLength());
        var history = new HistoryFile(Path.Combine(_directory, "history.db"));
        Assert.Equal(await history.EventCountAsync("notification_retry"), await _relay.MetricAsync("alertrelay_notifications_failed_total", "reason=\"retry\""));
        Assert.Equal(5 * alerts.Count, await history.EventCountAsync("notified"));

        // 429: no notification was tried again sooner than Retry-After.
        var tooSoon = _slack.Requests
            .Where(r => r.ReceivedAt >= slack429.From && r.ReceivedAt < slack429.To)
            .GroupBy(r => AlertName(r.Field("text") ?? ""))
            .SelectMany(g => g.Zip(g.Skip(1), (a, b) => (Alert: g.Key, Gap: b.ReceivedAt - a.ReceivedAt)))
            .Where(p => p.Gap < TimeSpan.FromSeconds(RetryAfterSeconds - 0.1))
            .ToList();
        Assert.True(tooSoon.Count == 0, $"retried before Retry-After ({RetryAfterSeconds} s): {string.Join(", ", tooSoon.Take(10))}");
        var pagerDutyTooSoon = _pagerDuty.Requests
            .Where(r => r.ReceivedAt >= pagerDuty429.From && r.ReceivedAt < pagerDuty429.To)
            .GroupBy(r => r.DedupKey)
            .SelectMany(g => g.Zip(g.Skip(1), (a, b) => (Key: g.Key, Gap: b.ReceivedAt - a.ReceivedAt)))
            .Where(p => p.Gap < TimeSpan.FromSeconds(RetryAfterSeconds - 0.1))
            .ToList();
        Assert.True(pagerDutyTooSoon.Count == 0, $"PagerDuty retried before Retry-After ({RetryAfterSeconds} s): {string.Join(", ", pagerDutyTooSoon.Take(10))}");
    }

    /// <summary>Runs one outage for <see cref="Phase"/> under the load and records what the relay said meanwhile.</summary>
    private async Task<PhaseResult> OutageAsync(string name, string failing, string expectedError, WebhookLoad load, ReadinessSampler readiness, Func<Task> begin)
    {
        var retryFilter = $"integration=\"{failing}\",receiver=\"oncall\",reason=\"retry\"";
        var failedBefore = await _relay.MetricAsync("alertrelay_notifications_failed_total", retryFilter);
        var from = DateTimeOffset.UtcNow;
        await begin();
        await Task.Delay(Phase);
        var to = DateTimeOffset.UtcNow;

        var pending = (await PendingAsync()).EnumerateArray().ToList();
        var result = new PhaseResult(name, expectedError, from, to)
        {
            FailedRetries = await _relay.MetricAsync("alertrelay_notifications_failed_total", retryFilter) - failedBefore,
            PendingGauge = await _relay.MetricAsync("alertrelay_outbox_pending"),
            Dead = await _relay.MetricAsync("alertrelay_outbox_dead"),
            LastErrors = [.. pending.Where(n => n.GetProperty("integration").GetString() == failing && n.GetProperty("attempts").GetInt32() > 0)
                .Select(n => n.GetProperty("lastError").GetString() ?? "")],
            ReadyzAnswers = readiness.Between(from, to),
        };

        if (result.Dead > 0)
        {
            output.WriteLine($"{name}: dead letters: {await _relay.Client.GetStringAsync("/api/notifications?status=dead")}");
        }

        var accepted = load.Posts.Where(p => p.Accepted && p.AnsweredAt >= from && p.AnsweredAt < to).ToList();
        result.Ingested = accepted.Sum(p => p.Alerts.Count);

        // The other integration is not held up by the failing one: what was accepted 2 s before the end has been delivered.
        var delivered = failing == "slack"
            ? _smtp.Messages.Select(m => AlertName(m.Message.Subject ?? "")).ToHashSet(StringComparer.Ordinal)
            : _slack.TopLevelMessages.Select(m => AlertName(m.Text)).ToHashSet(StringComparer.Ordinal);
        result.HealthyLate = [.. accepted.Where(p => p.AnsweredAt < to - TimeSpan.FromSeconds(2)).SelectMany(p => p.Alerts)
            .Select(a => a.Name).Where(a => !delivered.Contains(a))];
        return result;
    }

    private async Task<JsonElement> PendingAsync() =>
        await _relay.Client.GetFromJsonAsync<JsonElement>("/api/notifications?status=pending&limit=1000");

    private static string AlertName(string text) => AlertNamePattern().Match(text) is { Success: true } match ? match.Value : text;

    [GeneratedRegex(@"outage\d+-\d+-\d+-\d+")]
    private static partial Regex AlertNamePattern();

    private sealed record PhaseResult(string Name, string ExpectedError, DateTimeOffset From, DateTimeOffset To)
    {
        public double FailedRetries { get; init; }

        public double PendingGauge { get; init; }

        public double Dead { get; init; }

        public required IReadOnlyList<string> LastErrors { get; init; }

        public required IReadOnlyList<int> ReadyzAnswers { get; init; }

        public int Ingested { get; set; }

        public IReadOnlyList<string> HealthyLate { get; set; } = [];

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {FailedRetries} failed attempts (retry), pending gauge {PendingGauge}, dead {Dead}, {Ingested} alerts ingested, "
            + $"/readyz {string.Join(",", ReadyzAnswers.Distinct())} x{ReadyzAnswers.Count}, last errors: {string.Join(" | ", LastErrors.Distinct().Take(3))}");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Tests.Notify;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.Api;

/// <summary>
/// From webhook to Slack and email through the real host: the Slack Web API stub and an in-process SMTP
/// server receive what the outbox dispatcher sends.
/// </summary>
public sealed class NotificationFlowTests : IAsyncLifetime
{
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private AlertRelayApp _app = null!;
    private string _configPath = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();
        _configPath = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".yml");
        Directory.CreateDirectory(Path.GetDirectoryName(_configPath)!);
        await File.WriteAllTextAsync(_configPath, $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts-critical'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
                    send_resolved: true
                email_configs:
                  - to: ops-team@example.com
                    from: alertrelay@example.com
                    smarthost: {_smtp.Smarthost}
                    require_tls: false
                    send_resolved: true
            """);
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = _configPath,
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
        File.Delete(_configPath);
    }

    private async Task PostAsync(string fixture) =>
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json")))
        .EnsureSuccessStatusCode();

    private static Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what);

    private async Task<JsonElement> NotificationsAsync(string status) =>
        await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/notifications?status={status}");

    [Fact]
    public async Task FiringThenResolved_PostsToSlackAndMails_ThenUpdatesAndThreads()
    {
        await PostAsync(Fixtures.FiringSingle);
        await WaitForAsync(() => _slack.TopLevelMessages.Count == 1 && _smtp.Messages.Count == 1, "the firing notifications");

        await PostAsync(Fixtures.ResolvedSingle);
        await WaitForAsync(() => _smtp.Messages.Count == 2 && _slack.TopLevelMessages[0].Replies.Count == 1, "the resolve notifications");

        var slackMessage = Assert.Single(_slack.TopLevelMessages);
        Assert.Equal(1, slackMessage.UpdateCount); // chat.update of the original message
        Assert.Contains("HighErrorRate", slackMessage.AllText);
        Assert.All(_slack.Requests, r => Assert.Equal($"Bearer {_slack.Token}", r.Authorization));

        var firingMail = _smtp.Messages[0].Message;
        var resolvedMail = _smtp.Messages[1].Message;
        Assert.StartsWith("[FIRING:1] HighErrorRate", firingMail.Subject);
        Assert.Contains("[RESOLVED] HighErrorRate", resolvedMail.Subject);
        Assert.Equal(firingMail.MessageId, resolvedMail.InReplyTo);
        Assert.Equal(["ops-team@example.com"], _smtp.Messages[0].EnvelopeTo);

        await WaitForAsync(() => NotificationsAsync("sent").Result.GetArrayLength() == 4, "all four recorded as sent");
        Assert.Equal(0, (await NotificationsAsync("pending")).GetArrayLength());
        var metrics = await _app.ClientWith(null).GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^alertrelay_notifications_total\{integration=""slack"",receiver=""oncall""\} [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_notifications_total\{integration=""email"",receiver=""oncall""\} [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_notification_latency_seconds_count\{integration=""email""\} [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_outbox_pending ", metrics);
        Assert.Matches(@"(?m)^alertrelay_outbox_oldest_pending_age_seconds ", metrics);
    }

    [Fact]
    public async Task DuplicateWebhooks_NeverNotifyTwice()
    {
        await PostAsync(Fixtures.FiringSingle);
        await PostAsync(Fixtures.FiringSingle); // HA twin
        await WaitForAsync(() => _slack.TopLevelMessages.Count == 1 && _smtp.Messages.Count == 1, "the firing notifications");
        await WaitForAsync(() => NotificationsAsync("sent").Result.GetArrayLength() == 2, "both recorded as sent");

        // A second delivery needs a second notification, or one left to send: past every lease, a dispatcher's turn finds none.
        Assert.Equal(2, (await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/notifications")).GetArrayLength());
        Assert.Equal((0, 0), await TestDispatcher.TurnPastTheLeaseAsync(
            _app.Services.GetRequiredService<IOutboxStore>(), _app.Services.GetRequiredService<RelayConfigProvider>().Current,
            _app.Services.GetRequiredService<IOptions<NotifyOptions>>().Value, TimeProvider.System.GetUtcNow()));
        Assert.Single(_slack.TopLevelMessages);
        Assert.Single(_smtp.Messages);
    }

    [Fact]
    public async Task Outages_OfSlackAndSmtp_LoseNothing()
    {
        await _slack.GoDownAsync();
        await _smtp.StopAsync();

        await PostAsync(Fixtures.FiringGroupOfTwo);
        await WaitForAsync(() => NotificationsAsync("pending").Result.EnumerateArray().Any(n => n.GetProperty("attempts").GetInt32() >= 2), "failed attempts");

        await _slack.ComeBackAsync();
        await _smtp.StartAgainAsync();
        await WaitForAsync(() => _slack.TopLevelMessages.Count == 2 && _smtp.Messages.Count == 2, "delivery after the outage");

        // Delivered, then recorded: wait for the bookkeeping of the last one too.
        await WaitForAsync(() => NotificationsAsync("sent").Result.GetArrayLength() == 4, "all four recorded as sent");
        var alerts = await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts");
        var id = alerts.GetProperty("items")[0].GetProperty("id").GetInt64();
        var timeline = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        var kinds = timeline.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("notification_retry", kinds);
        Assert.Equal(2, kinds.Count(k => k == "notified"));
    }

    [Fact]
    public async Task PermanentSlackError_DeadLetters_AndRetryDeliversIt()
    {
        _slack.ErrorNext("channel_not_found", path: SlackStub.PostMessagePath);

        await PostAsync(Fixtures.FiringSingle);
        await WaitForAsync(() => NotificationsAsync("dead").Result.GetArrayLength() == 1, "a dead letter");
        var dead = (await NotificationsAsync("dead"))[0];
        Assert.Contains("channel_not_found", dead.GetProperty("lastError").GetString());

        var retry = await _app.ReaderClient().PostAsync($"/api/notifications/{dead.GetProperty("id").GetInt64()}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        await WaitForAsync(() => _slack.TopLevelMessages.Count == 1, "the retried delivery");
    }

    [Theory]
    [InlineData("status=bogus", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("before=x", "before")]
    public async Task List_Answers400NamingTheParameter(string query, string field)
    {
        var response = await _app.ReaderClient().GetAsync($"/api/notifications?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Retry_Answers404And409()
    {
        await PostAsync(Fixtures.FiringSingle);
        await WaitForAsync(() => NotificationsAsync("sent").Result.GetArrayLength() == 2, "delivery");
        var sentId = (await NotificationsAsync("sent"))[0].GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.NotFound, (await _app.ReaderClient().PostAsync("/api/notifications/99999/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _app.ReaderClient().PostAsync($"/api/notifications/{sentId}/retry", null)).StatusCode);
    }
}

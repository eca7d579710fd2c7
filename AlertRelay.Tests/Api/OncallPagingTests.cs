using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using AlertRelay.Tests.Schedules;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>
/// Paging through the real host (Slack Web API stub, SMTP sink, a fake clock): a route to <c>oncall:primary</c> sends alice a direct
/// message and an email and mentions her in the channel; the escalation step, after the Monday 09:00 (Paris) handoff, pages bob;
/// an acknowledgement stops the next step; the resolve updates both direct messages and threads both emails. The configuration is built in code.
/// </summary>
public sealed class OncallPagingTests : IAsyncLifetime
{
    // Alice is on call until 2026-01-12T08:00Z, then bob.
    private static readonly DateTimeOffset T0 = new(2026, 1, 12, 7, 50, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private AlertRelayApp _app = null!;
    private WebApplicationFactory<Program> _host = null!;
    private string _secretFile = null!;

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();
        var channel = new ReceiverConfig("oncall-slack",
            [new SlackConfig { Channel = "#oncall", BotToken = _slack.Token, ApiBaseUrl = _slack.BaseUrl, SendResolved = true }], [], []);
        var ladder = new EscalationPolicy("critical", [MatcherParser.ParseMatcher("severity=\"critical\"")],
            [new EscalationStep(TimeSpan.FromMinutes(15), "oncall:primary", null), new EscalationStep(TimeSpan.FromMinutes(30), "oncall:primary", null)]);
        var global = new Dictionary<string, object?>
        {
            ["smtp_smarthost"] = _smtp.Smarthost, ["smtp_from"] = "alertrelay@example.com", ["smtp_require_tls"] = "false",
        };
        var config = PagingConfigs.Config(PagingConfigs.Primary(), [channel], "oncall:primary", [ladder], global);
        _secretFile = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".secret");
        Directory.CreateDirectory(Path.GetDirectoryName(_secretFile)!);
        await File.WriteAllTextAsync(_secretFile, "test-signing-secret\n"); // interactivity on: the DM carries the buttons
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
            ["AlertRelay:Slack:SigningSecretFile"] = _secretFile,
        });
        _host = _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton(_ => RelayConfigProvider.Fixed(config, _time, NullLogger.Instance));
        }));
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        _app.Dispose();
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
        File.Delete(_secretFile);
    }

    [Fact]
    public async Task RouteAndSteps_PageWhoeverIsOnCall_UntilAcknowledged_AndTheResolveUpdatesTheDirectMessages()
    {
        // Opened at 07:50Z: alice is on call. Her DM, the channel's mention, her email, and the timeline.
        await PostAsync("firing");
        await WaitAsync(() => Posted("U0ALICE01").Count == 1 && Posted("#oncall").Count == 1 && MailsTo("alice@example.com").Count == 1, "alice paged");
        var dm = Assert.Single(_slack.TopLevelMessages, m => m.Channel == SlackStub.DirectChannelId("U0ALICE01"));
        Assert.Contains("You are on call for primary", dm.AllText);
        Assert.Contains("HighErrorRate", dm.AllText);
        Assert.Contains("Acknowledge", dm.Attachments!.ToJsonString()); // she can acknowledge from the DM
        var channelMessage = Assert.Single(_slack.TopLevelMessages, m => m.Channel == SlackStub.ChannelId);
        Assert.Contains("On call (primary): <@U0ALICE01>", channelMessage.AllText);
        Assert.Contains("On call (primary): alice", MailsTo("alice@example.com")[0].Message.TextBody);
        var id = await OccurrenceIdAsync();
        var paged = Assert.Single(await EventsAsync(id, "paged"));
        Assert.Equal("alice", paged.GetProperty("detail").GetProperty("participant").GetString());

        // 08:05Z, after the 08:00Z handoff: the first step pages bob.
        _time.SetUtcNow(T0 + TimeSpan.FromMinutes(15));
        await Scheduler().RunOnceAsync(default); // the worker's timer may take it first: a step runs once either way
        await WaitAsync(() => Posted("U0BOB0001").Count == 1 && MailsTo("bob@example.com").Count == 1 && Posted("#oncall").Count == 2, "bob paged by the step");
        var step = (await EventsAsync(id, "paged")).Last().GetProperty("detail");
        Assert.Equal(("bob", "critical step 0"), (step.GetProperty("participant").GetString(), step.GetProperty("step").GetString()));
        Assert.Contains("<@U0BOB0001>", _slack.TopLevelMessages.Where(m => m.Channel == SlackStub.ChannelId).Last().AllText);

        // Bob acknowledges: the 30-minute step never runs.
        (await Reader().PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "bob" })).EnsureSuccessStatusCode();
        _time.SetUtcNow(T0 + TimeSpan.FromMinutes(45));
        await Scheduler().RunOnceAsync(default);
        Assert.Single(await EventsAsync(id, "escalated"));
        Assert.Equal(2, (await EventsAsync(id, "paged")).Count);

        // The resolve updates alice's DM where Slack put it (the D… channel it answered with) and threads her email.
        await PostAsync("resolved");
        await WaitAsync(() => _slack.Messages.Values.Any(m => m.Ts == dm.Ts && m.Text.Contains("[RESOLVED]", StringComparison.Ordinal)) && MailsTo("alice@example.com").Count == 2, "the DM resolved", () => Reader().GetStringAsync("/api/notifications").Result + "\n" + string.Join("\n", _slack.Requests.Select(r => r.Path + " " + r.Body[..Math.Min(300, r.Body.Length)])));
        Assert.Equal(2, _slack.Messages[dm.Ts].UpdateCount); // bob's acknowledgement, then the resolve
        Assert.Contains("You are on call for primary", _slack.Messages[dm.Ts].AllText);
        Assert.Contains(_slack.Requests, r => r.Path == SlackStub.UpdatePath && r.Field("channel") == SlackStub.DirectChannelId("U0ALICE01"));
        Assert.NotNull(MailsTo("alice@example.com")[1].Message.InReplyTo);

        // Bob's DM, paged by the step, is updated too (not a new message), and his resolve email threads under the step's.
        await WaitAsync(() => MailsTo("bob@example.com").Count == 2 && Posted("U0BOB0001").Count == 1
            && _slack.TopLevelMessages.Any(m => m.Channel == SlackStub.DirectChannelId("U0BOB0001") && m.Text.Contains("[RESOLVED]", StringComparison.Ordinal)),
            "bob's DM resolved");
        Assert.NotNull(MailsTo("bob@example.com")[1].Message.InReplyTo);

        // The channel message, re-rendered by the acknowledgement and then the resolve, still names who was paged.
        await WaitAsync(() => _slack.Messages[channelMessage.Ts].Text.Contains("[RESOLVED]", StringComparison.Ordinal), "the channel message resolved");
        Assert.Equal(2, _slack.Messages[channelMessage.Ts].UpdateCount);
        Assert.Contains("On call (primary): <@U0ALICE01>", _slack.Messages[channelMessage.Ts].AllText);
    }

    private HttpClient Reader()
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.ReadToken);
        return client;
    }

    private EscalationScheduler Scheduler() => _host.Services.GetRequiredService<EscalationScheduler>();

    /// <summary>The top-level chat.postMessage requests to <paramref name="channel"/> (a user id for a direct message).</summary>
    private List<SlackStubRequest> Posted(string channel) =>
        [.. _slack.Requests.Where(r => r.Path == SlackStub.PostMessagePath && r.Field("channel") == channel && r.Field("thread_ts") is null)];

    private List<SmtpSinkMessage> MailsTo(string address) => [.. _smtp.Messages.Where(m => m.EnvelopeTo.Contains(address))];

    private async Task PostAsync(string status)
    {
        var startsAt = T0.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var endsAt = status == "resolved" ? (T0 + TimeSpan.FromMinutes(50)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "0001-01-01T00:00:00Z";
        var body = $$"""
            {"receiver":"relay","status":"{{status}}","alerts":[{"status":"{{status}}","labels":{"alertname":"HighErrorRate","instance":"api:3000","severity":"critical"},
             "annotations":{"summary":"High error rate detected"},"startsAt":"{{startsAt}}","endsAt":"{{endsAt}}","generatorURL":"","fingerprint":"76902ea1e495036c"}],
             "groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://127.0.0.1:9093","version":"4","groupKey":"{}:{}","truncatedAlerts":0}
            """;
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", AlertRelayApp.WebhookToken);
        (await client.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    private async Task<long> OccurrenceIdAsync() =>
        (await Reader().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items")[0].GetProperty("id").GetInt64();

    private async Task<List<JsonElement>> EventsAsync(long id, string kind) =>
        [.. (await Reader().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == kind)];

    private static Task WaitAsync(Func<bool> condition, string what, Func<string>? logs = null) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what, logs);
}

using System.Net.Http.Json;
using System.Text.Json;
using AlertRelay.Tests.Api;
using Xunit.Abstractions;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>
/// A real Alertmanager 0.25 HA pair (two Debian prometheus-alertmanager instances gossiping on loopback) in front of AlertRelay, the
/// Slack stub and the SMTP sink (issue 17). Each alert is its own group (as in the issue); both instances get every alert and every
/// resolve, the second instance's resolve after the first's has been delivered: then the second forwards the stale firing copy it
/// still holds (Alertmanager's own behaviour, whatever the timing), and only afterwards its resolve. The channel must end true:
/// one message per alert, updated once to RESOLVED, with one thread reply; one firing and one resolved mail per alert.
/// Passes only with the ingest side of issue 17 (a stale firing copy becomes a re-open candidate, cancelled by the resolve that
/// follows it): merge it together with that branch. Before it (branch digests alone), per alert group: 100 top-level messages
/// (50 pages for the stale copies), 100 updates (at most 1 per message, 0 left FIRING), 100 thread replies, 200 mails.
/// </summary>
public sealed class AlertmanagerHaPairTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int AlertCount = 50;
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(3);
    private const int ReopenGraceSeconds = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly string _alertname = "HA_" + Guid.NewGuid().ToString("N")[..8];
    private readonly DateTimeOffset _startsAt = DateTimeOffset.UtcNow.AddSeconds(-30);
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private AlertRelayApp _relay = null!;
    private string _relayUrl = "";
    private string _directory = "";
    private ServerProcess? _first;
    private ServerProcess? _second;

    public async Task InitializeAsync()
    {
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "ha-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "alertrelay.yml");
        await File.WriteAllTextAsync(configPath, $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
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
        _relay = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = configPath,
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
            // Above this pair's stale window (peer timeout 3 s + group_interval 2 s, and slack for a busy machine), as the default
            // 360 s is above Alertmanager's defaults; short enough for a genuine re-open to be confirmed within the test.
            ["AlertRelay:Ingest:ReopenGraceSeconds"] = ReopenGraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _relayUrl = _relay.StartOnLoopback();
        _directory = directory;
    }

    /// <summary>Starts the pair, grouping by <paramref name="groupBy"/>, and waits until it is one settled cluster; <see cref="_first"/> is the one ranked first.</summary>
    private async Task StartPairAsync(string groupBy)
    {
        var alertmanagerConfig = $"""
            route:
              receiver: relay
              group_by: [{groupBy}]
              group_wait: 1s
              group_interval: 2s
              repeat_interval: 1h
            receivers:
              - name: relay
                webhook_configs:
                  - url: {_relayUrl}/webhook
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: {AlertRelayApp.WebhookToken}
            """;

        int[] ports = [FreePort.Get(), FreePort.Get()];
        var a = await AlertmanagerProcess.StartPeerAsync(alertmanagerConfig, Path.Combine(_directory, "am-a"), ports[0], [ports[1]], PeerTimeout);
        var b = await AlertmanagerProcess.StartPeerAsync(alertmanagerConfig, Path.Combine(_directory, "am-b"), ports[1], [ports[0]], PeerTimeout);
        (_first, _second) = (a, b);
        await Eventually.UntilAsync(
            async () => await IsSettledAsync(a) && await IsSettledAsync(b), TimeSpan.FromSeconds(60),
            "both Alertmanagers to settle as one cluster of two", () => a.Output + "\n----\n" + b.Output);

        // Alertmanager ranks members by name; the one ranked second waits the peer timeout before reading the notification log.
        var (_, nameA, peers) = await AlertmanagerProcess.ClusterStatusAsync(a);
        if (peers.Order(StringComparer.Ordinal).First() != nameA)
        {
            (_first, _second) = (b, a);
        }
    }

    public async Task DisposeAsync()
    {
        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        _relay.Dispose();
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>
    /// name, Alertmanager's group_by, then what the channel must hold at the end: top-level Slack messages (each updated once to
    /// RESOLVED, with one thread reply) and mails (one firing and one resolved per message).
    /// </summary>
    public static TheoryData<string, string, int> Cases => new()
    {
        { "a group per alert: a message per alert", "'alertname', 'instance'", AlertCount },
        // Not yet: one group of 50 (a digest). With both branches merged it ended with 2 digests, of 13 and 37 alerts, whose
        // cause (Alertmanager's timing or AlertRelay's) is not yet understood.
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HaPair_FiringThenResolvedOnBoth_EndsWithOneResolvedMessagePerAnnouncement(string name, string groupBy, int messages)
    {
        await StartPairAsync(groupBy);
        ServerProcess first = _first!, second = _second!;
        var groups = messages; // one webhook per group, each announced by one message

        await PostAsync(first, resolved: false);
        await PostAsync(second, resolved: false);
        await WaitForAsync(() => _slack.TopLevelMessages.Count >= messages && _smtp.Messages.Count >= messages, "the firing notifications");
        // The second instance has looked at the notification log for every group (and found the first's firing notification).
        await WaitForAsync(async () => await second.MetricAsync("alertmanager_nflog_queries_total") >= groups, "the second instance's dedup");

        await ResolveOnBothAsync(first, second, groups, replies: messages);

        output.WriteLine($"{name}: {Counts()}");
        Assert.Equal(messages, _slack.TopLevelMessages.Count);
        Assert.All(_slack.TopLevelMessages, m => Assert.Contains("[RESOLVED]", m.Text));
        Assert.Equal(messages, _slack.TopLevelMessages.Sum(m => m.UpdateCount));
        Assert.Equal(messages, _slack.TopLevelMessages.Sum(m => m.Replies.Count));
        Assert.Equal(2 * messages, _smtp.Messages.Count);
    }

    [Fact]
    public async Task HaPair_GenuineReopenAfterTheGrace_IsNotifiedOnceAndResolvedOnce()
    {
        await StartPairAsync("'alertname', 'instance'");
        ServerProcess first = _first!, second = _second!;
        await PostAsync(first, resolved: false);
        await PostAsync(second, resolved: false);
        await WaitForAsync(() => _slack.TopLevelMessages.Count >= AlertCount, "the firing notifications");
        await WaitForAsync(async () => await second.MetricAsync("alertmanager_nflog_queries_total") >= AlertCount, "the second instance's dedup");
        await ResolveOnBothAsync(first, second, AlertCount, replies: AlertCount);

        // The alerts really fire again with the same startsAt (as after Alertmanager's resolve_timeout): re-open candidates, confirmed
        // together once no resolve has come within the grace, and notified once: 50 at once are one digest (storm protection).
        await PostAsync(first, resolved: false);
        await PostAsync(second, resolved: false);
        await WaitForAsync(async () => await CountAsync("firing") == AlertCount && _slack.TopLevelMessages.Count >= AlertCount + 1, "the confirmed re-opens");
        await WaitForAsync(async () => await second.MetricAsync("alertmanager_nflog_queries_total") >= 2 * AlertCount, "the second instance's dedup");
        await ResolveOnBothAsync(first, second, AlertCount, replies: 2 * AlertCount);

        output.WriteLine($"genuine re-open: {Counts()}");
        Assert.Equal(AlertCount + 1, _slack.TopLevelMessages.Count);
        Assert.All(_slack.TopLevelMessages, m => Assert.Contains("[RESOLVED]", m.Text)); // the channel ends true
        Assert.All(_slack.TopLevelMessages.Take(AlertCount), m => Assert.Equal(1, m.UpdateCount));
        Assert.Equal(2 * AlertCount, _slack.TopLevelMessages.Sum(m => m.UpdateCount)); // the digest once per resolve of its alerts
        Assert.Equal(2 * AlertCount, _slack.TopLevelMessages.Sum(m => m.Replies.Count));
        Assert.Equal(3 * AlertCount + 1, _smtp.Messages.Count); // firing, resolved, the re-open digest, its alerts' resolves
        Assert.Equal(AlertCount, await EventCountAsync("reopened"));
        Assert.Equal(2 * AlertCount, await EventCountAsync("stale_copy")); // the second instance's stale copy after each resolve
    }

    /// <summary>
    /// Resolves the alerts on the first instance, waits for AlertRelay to deliver the resolves, then lets the second instance
    /// forward the stale firing copies it still holds before it gets the resolve too, and waits until everything is delivered.
    /// </summary>
    private async Task ResolveOnBothAsync(ServerProcess first, ServerProcess second, int groups, int replies)
    {
        // Counted before the first instance resolves: the second forwards its stale copies a peer timeout after that, which on a
        // loaded machine can come before AlertRelay has delivered every resolve (counting from then waited for copies already sent).
        var sent = await WebhookSentAsync(second);
        await PostAsync(first, resolved: true);
        await WaitForAsync(
            async () => await CountAsync("resolved") == AlertCount && _slack.TopLevelMessages.Sum(m => m.Replies.Count) >= replies,
            "the first instance's resolves");

        // The second instance still holds the alerts firing: it forwards them, once per group, after its peer timeout.
        await WaitForAsync(async () => await WebhookSentAsync(second) >= sent + groups, "the second instance's stale firing copies");
        await PostAsync(second, resolved: true);
        await WaitForAsync(async () => await WebhookSentAsync(second) >= sent + 2 * groups, "the second instance's resolves");
        await WaitForAsync(async () => await CountAsync("resolved") == AlertCount && await PendingAsync() == 0, "AlertRelay to deliver everything");
    }

    /// <summary>Timeline events of <paramref name="kind"/> over this test's alerts.</summary>
    private async Task<int> EventCountAsync(string kind)
    {
        var page = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={_alertname}&limit=1000");
        var count = 0;
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var detail = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{item.GetProperty("id").GetInt64()}");
            count += detail.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == kind);
        }

        return count;
    }

    private static async Task<bool> IsSettledAsync(ServerProcess alertmanager)
    {
        var (status, _, peers) = await AlertmanagerProcess.ClusterStatusAsync(alertmanager);
        return status == "ready" && peers.Count == 2;
    }

    private Task<double> WebhookSentAsync(ServerProcess alertmanager) =>
        alertmanager.MetricAsync("alertmanager_notifications_total", "integration=\"webhook\"");

    private async Task PostAsync(ServerProcess alertmanager, bool resolved)
    {
        var alerts = Enumerable.Range(0, AlertCount).Select(i =>
        {
            var alert = new Dictionary<string, object>
            {
                ["labels"] = new Dictionary<string, string> { ["alertname"] = _alertname, ["instance"] = $"node-{i:D2}:9100", ["severity"] = "warning" },
                ["annotations"] = new Dictionary<string, string> { ["summary"] = $"HA pair alert {i}" },
                ["startsAt"] = _startsAt.ToString("O"),
            };
            if (resolved)
            {
                alert["endsAt"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O");
            }

            return alert;
        }).ToList();
        (await alertmanager.Client.PostAsJsonAsync("/api/v2/alerts", alerts)).EnsureSuccessStatusCode();
    }

    private async Task<int> CountAsync(string status)
    {
        var page = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={_alertname}&status={status}&limit=1000");
        return page.GetProperty("items").GetArrayLength();
    }

    private async Task<int> PendingAsync() =>
        (await _relay.ReaderClient().GetFromJsonAsync<JsonElement>("/api/notifications?status=pending")).GetArrayLength();

    private Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, Patience, what, Counts);

    private Task WaitForAsync(Func<Task<bool>> condition, string what) => Eventually.UntilAsync(condition, Patience, what, Counts);

    /// <summary>What Slack and the SMTP sink hold.</summary>
    private string Counts() =>
        $"slack: {_slack.TopLevelMessages.Count} top-level messages ({_slack.TopLevelMessages.Count(m => m.Text.Contains("[FIRING"))} still FIRING), " +
        $"{_slack.TopLevelMessages.Sum(m => m.UpdateCount)} updates (at most {_slack.TopLevelMessages.Select(m => m.UpdateCount).DefaultIfEmpty().Max()} to one message), {_slack.TopLevelMessages.Sum(m => m.Replies.Count)} thread replies; " +
        $"smtp: {_smtp.Messages.Count} mails ({_smtp.Messages.Count(m => m.Message.Subject?.Contains("[FIRING") == true)} FIRING)" +
        (_slack.TopLevelMessages.Count <= 10 ? $"; messages: {string.Join(" | ", _slack.TopLevelMessages.Select(m => m.Text.Split(':', 3)[0] + ":" + m.Text.Split(':', 3).ElementAtOrDefault(1)))}" : "");
}

using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>
/// A digest through the real host (Slack Web API stub and SMTP sink): one Alertmanager group of 60 alerts fires, then 5 of them
/// resolve, then the other 55. The digest is the message that announced their firing: it is kept current, and the resolves go in
/// its thread (Slack) or its mail thread (e-mail), never to the channel as new messages.
/// </summary>
public sealed class DigestFlowTests : IAsyncLifetime
{
    private const int GroupSize = 60;
    private const string StartsAt = "2026-11-24T22:32:30.253Z";

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

    [Fact]
    public async Task GroupOf60_FiresOneDigest_ThenResolvesUpdateItAndReplyInItsThread()
    {
        await PostGroupAsync(resolved: 0);
        await WaitForAsync(() => _slack.TopLevelMessages.Count == 1 && _smtp.Messages.Count == 1, "the firing digest");
        Assert.Contains("[FIRING:60]", _slack.TopLevelMessages[0].Text);

        await PostGroupAsync(resolved: 5);
        await WaitForAsync(() => _smtp.Messages.Count == 6 && ThreadReplies() == 5 && SentCountAsync().Result == 12, "the first 5 resolves");
        var digest = Assert.Single(_slack.TopLevelMessages);
        Assert.Contains("[FIRING:55, RESOLVED:5]", digest.Text);

        await PostGroupAsync(resolved: GroupSize);
        await WaitForAsync(() => _smtp.Messages.Count == 7 && ThreadReplies() == 6 && SentCountAsync().Result == 14, "the other 55 resolves");

        digest = Assert.Single(_slack.TopLevelMessages);
        Assert.Contains("[RESOLVED]", digest.Text);
        Assert.Equal(6, digest.UpdateCount); // once per resolve notification: 5 single resolves and one digest of 55
        Assert.Equal(6, digest.Replies.Count);
        Assert.Equal(7, _slack.Requests.Count(r => r.Path == SlackStub.PostMessagePath)); // the digest and its 6 replies

        var firingMail = _smtp.Messages[0].Message;
        Assert.StartsWith("[FIRING:60]", firingMail.Subject);
        Assert.All(_smtp.Messages.Skip(1), m => Assert.Equal(firingMail.MessageId, m.Message.InReplyTo));
        Assert.Contains("[RESOLVED]", _smtp.Messages[^1].Message.Subject);
        Assert.Equal(0, await CountAsync("pending"));
    }

    private int ThreadReplies() => _slack.TopLevelMessages.Sum(m => m.Replies.Count);

    private Task<int> SentCountAsync() => CountAsync("sent");

    private async Task<int> CountAsync(string status) =>
        (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/notifications?status={status}")).GetArrayLength();

    private Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(30), what, Counts);

    /// <summary>What Slack and the SMTP sink hold, for a failed wait.</summary>
    private string Counts() =>
        $"slack: {_slack.TopLevelMessages.Count} top-level ({string.Join(", ", _slack.TopLevelMessages.Select(m => m.Text.Split(':', 3)[0] + (m.Text.Contains("RESOLVED") ? " RESOLVED" : "")))}), " +
        $"{_slack.TopLevelMessages.Sum(m => m.UpdateCount)} updates, {ThreadReplies()} thread replies; smtp: {_smtp.Messages.Count} mails " +
        $"({_smtp.Messages.Count(m => m.Message.InReplyTo is not null)} in a thread)";

    /// <summary>Posts the group as Alertmanager sends it: all <see cref="GroupSize"/> alerts, the first <paramref name="resolved"/> of them resolved.</summary>
    private async Task PostGroupAsync(int resolved)
    {
        var alerts = Enumerable.Range(0, GroupSize).Select(i => new Dictionary<string, object>
        {
            ["status"] = i < resolved ? "resolved" : "firing",
            ["labels"] = new Dictionary<string, string>
            {
                ["alertname"] = "DiskFull", ["instance"] = $"node-{i:D2}:9100", ["job"] = "node", ["severity"] = "warning",
            },
            ["annotations"] = new Dictionary<string, string> { ["summary"] = $"Disk almost full on node-{i:D2}" },
            ["startsAt"] = StartsAt,
            ["endsAt"] = i < resolved ? "2026-11-24T22:40:00Z" : "0001-01-01T00:00:00Z",
            ["generatorURL"] = "http://prometheus:9090/graph",
        }).ToList();
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["version"] = "4",
            ["status"] = resolved == GroupSize ? "resolved" : "firing",
            ["receiver"] = "oncall",
            ["groupKey"] = "{}:{alertname=\"DiskFull\"}",
            ["groupLabels"] = new Dictionary<string, string> { ["alertname"] = "DiskFull" },
            ["externalURL"] = "http://alertmanager:9093",
            ["alerts"] = alerts,
        });
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }
}

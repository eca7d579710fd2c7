using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using Microsoft.Extensions.Logging.Abstractions;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>
/// Resolves of alerts a delivered message announced (<see cref="NotificationMessage.Announcements"/>): the announcing message is
/// updated to read as things are now and the resolve goes in its thread; only alerts nobody announced get a new message.
/// </summary>
public class SlackSenderFollowUpTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SlackStub _stub = null!;

    private SlackSender Sender => new(new SlackClient(_http), NullLogger<SlackNotifier>.Instance);

    private SlackConfig WebApi => new() { Channel = "#alerts", BotToken = _stub.Token, ApiBaseUrl = _stub.BaseUrl, SendResolved = true };

    public async Task InitializeAsync() => _stub = await SlackStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>
    /// A digest of 12 alerts is posted; then <c>resolvedNow</c> of them resolve (all, once <c>resolvedBefore</c> resolved earlier), in one
    /// notification; <c>unannounced</c> more resolve that no message announced.
    /// </summary>
    public static TheoryData<string, int, int, int, string, string, int> Cases => new()
    {
        // name, resolved before, resolved now, unannounced, the digest's tag after, the reply, top-level messages after
        { "one of a digest", 0, 1, 0, "[FIRING:11, RESOLVED:1]", "*Resolved*: Alert", 1 },
        { "five of a digest", 0, 5, 0, "[FIRING:7, RESOLVED:5]", "*Resolved*: 5 of 12 alerts", 1 },
        { "the rest of a digest", 5, 7, 0, "[RESOLVED]", "*Resolved*: 7 of 12 alerts", 1 },
        { "some of a digest and one never announced", 0, 2, 1, "[FIRING:10, RESOLVED:2]", "*Resolved*: 2 of 12 alerts", 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task SendAsync_UpdatesTheDigestAndRepliesInItsThread_WhenItsAlertsResolve(
        string name, int resolvedBefore, int resolvedNow, int unannounced, string tag, string reply, int topLevel)
    {
        var alerts = Many(12);
        var digest = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Message(NotificationKind.Digest, alerts), CancellationToken.None));
        var resolvedAlerts = alerts.Take(resolvedBefore + resolvedNow).Select(Resolve).ToList();
        var now = alerts.Select((a, i) => i < resolvedAlerts.Count ? resolvedAlerts[i] : a).ToList();
        var resolves = resolvedAlerts.Skip(resolvedBefore).ToList();
        var others = Enumerable.Range(0, unannounced).Select(i => Resolve(Alert(name: $"Other{i}", id: 100 + i))).ToList();
        var message = new NotificationMessage(50, "oncall", resolves.Count + others.Count > 1 ? NotificationKind.Digest : NotificationKind.Resolved, [.. resolves, .. others], digest.Reference)
        {
            Announcements = [new Announcement(42, NotificationKind.Digest, digest.Reference!, now, resolves)],
        };

        var result = await Sender.SendAsync(WebApi, message, CancellationToken.None);

        Assert.True(result == NotifyResult.Delivered(digest.Reference), $"{name}: {result}");
        Assert.Equal(topLevel, _stub.TopLevelMessages.Count);
        var original = _stub.Messages[digest.Reference!.SlackTs!];
        Assert.Equal(1, original.UpdateCount);
        Assert.StartsWith(tag, original.Text);
        Assert.StartsWith($"{SlackTones.Emoji(SlackTone.Resolved)} {reply}", Assert.Single(original.Replies).Text);
        Assert.All(_stub.TopLevelMessages.Skip(1), m => Assert.Contains("[RESOLVED]", m.Text));
    }

    [Fact]
    public async Task SendAsync_PostsANewMessage_WhenTheDigestIsGone()
    {
        var gone = new DeliveryRef(SlackStub.ChannelId, "1700000000.000001");
        var alerts = Many(12);
        var resolved = Resolve(alerts[0]);
        var message = new NotificationMessage(50, "oncall", NotificationKind.Resolved, [resolved], gone)
        {
            Announcements = [new Announcement(42, NotificationKind.Digest, gone, [resolved, .. alerts.Skip(1)], [resolved])],
        };
        _stub.ErrorNext("message_not_found", path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, message, CancellationToken.None);

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal([SlackStub.UpdatePath, SlackStub.PostMessagePath], _stub.Requests.Select(r => r.Path));
        Assert.Contains("[RESOLVED]", _stub.Messages[sent.Reference!.SlackTs!].Text);
    }

    [Fact]
    public async Task SendAsync_RetriesWithoutReplying_WhenTheDigestUpdateFailsTransiently()
    {
        var alerts = Many(12);
        var digest = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Message(NotificationKind.Digest, alerts), CancellationToken.None));
        var resolved = Resolve(alerts[0]);
        var message = new NotificationMessage(50, "oncall", NotificationKind.Resolved, [resolved], digest.Reference)
        {
            Announcements = [new Announcement(42, NotificationKind.Digest, digest.Reference!, [resolved, .. alerts.Skip(1)], [resolved])],
        };
        _stub.FailNext(path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, message, CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(result);
        Assert.Empty(_stub.Messages[digest.Reference!.SlackTs!].Replies);
        Assert.Single(_stub.TopLevelMessages);
    }

    private static NotifiedOccurrence Resolve(NotifiedOccurrence alert) => alert with { Status = AlertStatus.Resolved, EndsAt = alert.StartsAt.AddMinutes(12) };
}

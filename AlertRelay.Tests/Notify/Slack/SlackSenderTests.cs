using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackSenderTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-slack-" + Guid.NewGuid().ToString("N"));
    private SlackStub _stub = null!;

    private SlackSender Sender => new(new SlackClient(_http), NullLogger<SlackNotifier>.Instance);

    private SlackConfig WebApi => new() { Channel = "#alerts", BotToken = _stub.Token, ApiBaseUrl = _stub.BaseUrl, SendResolved = true };

    private SlackConfig Webhook => new() { Channel = "#alerts", ApiUrl = _stub.WebhookUrl, SendResolved = true };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _stub = await SlackStub.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task SendAsync_PostsAndReturnsChannelIdAndTs_WhenFiring()
    {
        var result = await Sender.SendAsync(WebApi, Firing(), CancellationToken.None);

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        var message = Assert.Single(_stub.TopLevelMessages);
        Assert.Equal(new DeliveryRef(SlackStub.ChannelId, message.Ts), sent.Reference);
        Assert.Equal("#alerts", _stub.Requests[0].Field("channel"));
        Assert.Equal("#E01E5A", message.Color);
        Assert.Contains("[FIRING:1] HighErrorRate critical", message.AllText);
    }

    public static TheoryData<string, NotificationMessage> EveryNewMessageKind => new()
    {
        { "firing", Firing() },
        { "escalation", Message(NotificationKind.Escalation, Alert()) with { EscalationStep = "critical-ladder step 2" } },
        { "digest", Message(NotificationKind.Digest, Many(60)) },
        { "resolved without a previous message", Resolved() },
        { "firing group", Message(NotificationKind.Firing, Many(3)) },
    };

    [Theory]
    [MemberData(nameof(EveryNewMessageKind))]
    public async Task SendAsync_PostsANewMessageSlackAccepts_ForEveryKindWithoutAnOriginal(string name, NotificationMessage notification)
    {
        var result = await Sender.SendAsync(WebApi, notification, CancellationToken.None);

        Assert.True(result is NotifyResult.Sent, $"{name}: {result}");
        Assert.Single(_stub.TopLevelMessages);
        Assert.All(_stub.Requests, r => Assert.Equal(SlackStub.PostMessagePath, r.Path));
    }

    [Fact]
    public async Task SendAsync_UpdatesTheOriginalAndRepliesInItsThread_WhenResolvedAfterAWebApiPost()
    {
        var firing = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));

        var result = await Sender.SendAsync(WebApi, Resolved(firing.Reference), CancellationToken.None);

        Assert.Equal(NotifyResult.Delivered(firing.Reference), result);
        Assert.Equal([SlackStub.PostMessagePath, SlackStub.UpdatePath, SlackStub.PostMessagePath], _stub.Requests.Select(r => r.Path));
        var original = Assert.Single(_stub.TopLevelMessages);
        Assert.Equal(firing.Reference!.SlackTs, original.Ts);
        Assert.Equal(1, original.UpdateCount);
        Assert.Equal("#2EB67D", original.Color);
        Assert.Contains("[RESOLVED] HighErrorRate critical", original.AllText);
        Assert.DoesNotContain("FIRING", original.AllText);
        var reply = Assert.Single(original.Replies);
        Assert.Contains("*Resolved*: HighErrorRate critical", reply.Text);
        Assert.Contains("after 12m", reply.Text);
    }

    [Theory]
    [InlineData("message_not_found")]
    [InlineData("cant_update_message")]
    public async Task SendAsync_PostsTheResolveAsANewMessage_WhenTheOriginalCannotBeUpdated(string error)
    {
        var firing = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));
        _stub.ErrorNext(error, path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, Resolved(firing.Reference), CancellationToken.None);

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        Assert.NotEqual(firing.Reference!.SlackTs, sent.Reference!.SlackTs);
        var resolved = _stub.Messages[sent.Reference.SlackTs!];
        Assert.Null(resolved.ThreadTs);
        Assert.Contains("[RESOLVED]", resolved.AllText);
        Assert.Equal(0, _stub.Messages[firing.Reference.SlackTs!].UpdateCount);
    }

    [Fact]
    public async Task SendAsync_PostsTheResolveAsANewMessage_WhenTheOriginalWasDeleted()
    {
        var gone = new DeliveryRef(SlackStub.ChannelId, "1700000000.000001");

        var result = await Sender.SendAsync(WebApi, Resolved(gone), CancellationToken.None);

        var sent = Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal([SlackStub.UpdatePath, SlackStub.PostMessagePath], _stub.Requests.Select(r => r.Path));
        Assert.Equal(SlackStub.ChannelId, sent.Reference!.SlackChannel);
    }

    [Fact]
    public async Task SendAsync_RetriesWithoutReplying_WhenTheUpdateFailsTransiently()
    {
        var firing = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));
        _stub.FailNext(path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, Resolved(firing.Reference), CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(result);
        Assert.Equal(2, _stub.Requests.Count);
        Assert.Empty(_stub.TopLevelMessages[0].Replies);
    }

    [Fact]
    public async Task SendAsync_RetriesAndThenRepliesOnce_WhenTheThreadReplyFailsTransiently()
    {
        var firing = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));
        _stub.RateLimitNext(path: SlackStub.PostMessagePath);

        var first = await Sender.SendAsync(WebApi, Resolved(firing.Reference), CancellationToken.None);
        var second = await Sender.SendAsync(WebApi, Resolved(firing.Reference), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(1), Assert.IsType<NotifyResult.Retry>(first).RetryAfter);
        Assert.Equal(NotifyResult.Delivered(firing.Reference), second);
        var original = Assert.Single(_stub.TopLevelMessages);
        Assert.Equal(2, original.UpdateCount); // the update is repeated, harmlessly
        Assert.Single(original.Replies);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenTheChannelDoesNotExist()
    {
        _stub.ErrorNext("channel_not_found");

        var result = await Sender.SendAsync(WebApi, Firing(), CancellationToken.None);

        Assert.Contains("channel_not_found", Assert.IsType<NotifyResult.Failed>(result).Reason);
    }

    [Fact]
    public async Task SendAsync_IsRetry_WhenSlackIsDown()
    {
        await _stub.GoDownAsync();

        var result = await Sender.SendAsync(WebApi, Firing(), CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(result);
    }

    [Fact]
    public async Task SendAsync_ReadsTheTrimmedTokenFromTheFile_WhenBotTokenFileIsSet()
    {
        var file = Path.Combine(_directory, "token");
        await File.WriteAllTextAsync(file, $"  {_stub.Token}\n");

        var result = await Sender.SendAsync(WebApi with { BotToken = null, BotTokenFile = file }, Firing(), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal($"Bearer {_stub.Token}", _stub.Requests[0].Authorization);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenTheTokenFileCannotBeRead()
    {
        var missing = Path.Combine(_directory, "no-such-token");

        var result = await Sender.SendAsync(WebApi with { BotToken = null, BotTokenFile = missing }, Firing(), CancellationToken.None);

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains($"cannot read bot_token_file {missing}", failed.Reason);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenTheTokenFileIsEmpty()
    {
        var file = Path.Combine(_directory, "empty");
        await File.WriteAllTextAsync(file, "\n");

        var result = await Sender.SendAsync(WebApi with { BotToken = null, BotTokenFile = file }, Firing(), CancellationToken.None);

        Assert.Contains("is empty", Assert.IsType<NotifyResult.Failed>(result).Reason);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenThereIsNeitherTokenNorWebhook()
    {
        var result = await Sender.SendAsync(new SlackConfig { Channel = "#alerts" }, Firing(), CancellationToken.None);

        var failed = Assert.IsType<NotifyResult.Failed>(result);
        Assert.Contains("bot_token", failed.Reason);
        Assert.Contains("api_url", failed.Reason);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenTheTokenIsRejected()
    {
        var result = await Sender.SendAsync(WebApi with { BotToken = "xoxb-revoked" }, Firing(), CancellationToken.None);

        Assert.Contains("invalid_auth", Assert.IsType<NotifyResult.Failed>(result).Reason);
    }

    [Fact]
    public async Task SendAsync_PostsANewWebhookMessageForEveryKind_WhenOnlyApiUrlIsSet()
    {
        var firing = await Sender.SendAsync(Webhook, Firing(), CancellationToken.None);
        var resolved = await Sender.SendAsync(Webhook, Resolved(new DeliveryRef(SlackStub.ChannelId, "1732560000.000100")), CancellationToken.None);

        Assert.Equal(NotifyResult.Delivered(), firing);
        Assert.Equal(NotifyResult.Delivered(), resolved);
        Assert.All(_stub.Requests, r => Assert.Equal(SlackStub.WebhookPath, r.Path));
        Assert.Equal(2, _stub.TopLevelMessages.Count);
        Assert.Contains("[RESOLVED]", _stub.TopLevelMessages[1].AllText);
        Assert.Equal("#alerts", _stub.Requests[0].Field("channel"));
    }

    [Fact]
    public async Task SendAsync_ReadsTheWebhookUrlFromTheFile_WhenApiUrlFileIsSet()
    {
        var file = Path.Combine(_directory, "url");
        await File.WriteAllTextAsync(file, _stub.WebhookUrl + "\n");

        var result = await Sender.SendAsync(Webhook with { ApiUrl = null, ApiUrlFile = file }, Firing(), CancellationToken.None);

        Assert.Equal(NotifyResult.Delivered(), result);
        Assert.Single(_stub.Messages);
    }

    [Fact]
    public async Task SendAsync_PrefersTheWebApi_WhenBothTokenAndWebhookAreSet()
    {
        var result = await Sender.SendAsync(WebApi with { ApiUrl = _stub.WebhookUrl }, Firing(), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Equal(SlackStub.PostMessagePath, Assert.Single(_stub.Requests).Path);
    }

    [Fact]
    public async Task SendAsync_IsRetry_WhenTheWebhookAnswers500()
    {
        _stub.FailNext();

        var result = await Sender.SendAsync(Webhook, Firing(), CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(result);
    }

    [Fact]
    public async Task SendAsync_PostsTheTemplatedTitle_WhenTitleIsSet()
    {
        var config = WebApi with { Title = "{{ alertname }} is {{ status | upcase }}" };

        await Sender.SendAsync(config, Message(NotificationKind.Firing, Alert(status: AlertStatus.Firing)), CancellationToken.None);

        Assert.Contains("HighErrorRate is FIRING", Assert.Single(_stub.TopLevelMessages).AllText);
    }
}

using System.Net;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>
/// <see cref="NotificationKind.Update"/>: after an on-call action the message that announced the occurrence is re-rendered
/// (chat.update) with the state as it is now, and a thread reply says what happened.
/// </summary>
public class SlackSenderUpdateTests : IAsyncLifetime
{
    private static readonly DateTimeOffset AckedAt = Start.AddMinutes(3);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SlackStub _stub = null!;

    private SlackSender Sender => new(
        new SlackClient(_http), NullLogger<SlackNotifier>.Instance,
        new SlackOncallSettings(Interactive: true, NoAlertLinks.Instance, new FakeTimeProvider(Start)));

    private SlackConfig WebApi => new() { Channel = "#alerts", BotToken = _stub.Token, ApiBaseUrl = _stub.BaseUrl, SendResolved = true };

    private SlackConfig Webhook => new() { Channel = "#alerts", ApiUrl = _stub.WebhookUrl, SendResolved = true };

    public async Task InitializeAsync() => _stub = await SlackStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task SendAsync_UpdatesTheMessageAndRepliesInItsThread_WhenAcknowledged()
    {
        var posted = await PostFiringAsync();
        Assert.Contains("Acknowledge", Texts(_stub.TopLevelMessages[0]));

        var result = await Sender.SendAsync(WebApi, Update(Acked(), "acknowledged", posted), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        var message = Assert.Single(_stub.TopLevelMessages);
        Assert.Equal(1, message.UpdateCount);
        Assert.Contains("Acknowledged by *alice*", message.AllText);
        Assert.Contains("Unacknowledge", Texts(message));
        Assert.DoesNotContain("Acknowledge", Texts(message).Where(t => t != "Unacknowledge"));
        var reply = Assert.Single(message.Replies);
        Assert.Contains("*Acknowledged* by *alice* at <!date^" + AckedAt.ToUnixTimeSeconds(), reply.Text);
    }

    public static TheoryData<string, string, Func<Core.Notify.NotifiedOccurrence>, string> Replies => new()
    {
        { "unacknowledged", "unacknowledged", () => Alert(), "*Acknowledgement taken back*" },
        { "silenced", "silenced", () => Alert() with { Silence = new ActiveSilence("sil-1", "bob", Start.AddHours(1)) }, "*Silenced* until <!date^" },
        { "unsilenced", "unsilenced", () => Alert(), "*Silence ended*" },
        { "acknowledged, since taken back", "acknowledged", () => Alert(), "*Acknowledged* (since taken back)" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public async Task SendAsync_RepliesWithWhatHappened_ForEachDetail(string name, string detail, Func<Core.Notify.NotifiedOccurrence> alert, string reply)
    {
        var posted = await PostFiringAsync();

        Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Update(alert(), detail, posted), CancellationToken.None));

        var message = Assert.Single(_stub.TopLevelMessages);
        Assert.True(message.Replies.Single().Text.Contains(reply, StringComparison.Ordinal), $"{name}: {message.Replies.Single().Text}");
    }

    [Fact]
    public async Task SendAsync_RecordsAsSentWithoutCallingSlack_WhenNothingWasPosted()
    {
        var result = await Sender.SendAsync(WebApi, Update(Acked(), "acknowledged", previous: null), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_RecordsAsSentWithoutCallingSlack_WhenTheReceiverUsesAWebhook()
    {
        var result = await Sender.SendAsync(Webhook, Update(Acked(), "acknowledged", new DeliveryRef(SlackStub.ChannelId, "1.2")), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Empty(_stub.Requests);
    }

    [Fact]
    public async Task SendAsync_RecordsAsSentWithoutReply_WhenTheMessageIsGone()
    {
        var posted = await PostFiringAsync();
        _stub.ErrorNext("message_not_found", path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, Update(Acked(), "acknowledged", posted), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        Assert.Empty(_stub.TopLevelMessages[0].Replies);
    }

    [Fact]
    public async Task SendAsync_Retries_WhenSlackFailsTheUpdate()
    {
        var posted = await PostFiringAsync();
        _stub.FailNext(status: HttpStatusCode.ServiceUnavailable, path: SlackStub.UpdatePath);

        var result = await Sender.SendAsync(WebApi, Update(Acked(), "acknowledged", posted), CancellationToken.None);

        Assert.IsType<NotifyResult.Retry>(result);
        Assert.Empty(_stub.TopLevelMessages[0].Replies);
    }

    [Fact]
    public async Task SendAsync_PostsNoInteractiveButtons_WhenTheReceiverUsesAWebhook()
    {
        Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(Webhook, Firing(), CancellationToken.None));

        Assert.DoesNotContain("Acknowledge", Texts(Assert.Single(_stub.TopLevelMessages)));
    }

    private async Task<DeliveryRef> PostFiringAsync()
    {
        var sent = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));
        return sent.Reference!;
    }

    private static Core.Notify.NotifiedOccurrence Acked() => Alert() with { Acknowledgement = new Acknowledgement("alice", null, AckedAt, null) };

    private static NotificationMessage Update(Core.Notify.NotifiedOccurrence alert, string detail, DeliveryRef? previous) =>
        new(77, "oncall", NotificationKind.Update, [alert], previous) { EscalationStep = detail };

    /// <summary>The texts of a message's blocks, one per element (buttons give their label).</summary>
    private static List<string> Texts(SlackStubMessage message) => [.. message.AllText.Split('\n')];
}

using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using Microsoft.Extensions.Logging.Abstractions;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>Reminders in Slack against the loopback Slack: a reply in the firing message's thread, or a new message marked as a reminder.</summary>
public sealed class SlackReminderTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private SlackStub _stub = null!;

    private SlackSender Sender => new(new SlackClient(_http), NullLogger<SlackNotifier>.Instance);

    private SlackConfig WebApi => new() { Channel = "#alerts", BotToken = _stub.Token, ApiBaseUrl = _stub.BaseUrl };

    private SlackConfig Webhook => new() { Channel = "#alerts", ApiUrl = _stub.WebhookUrl };

    private static NotificationMessage Reminder(DeliveryRef? previous) =>
        Message(NotificationKind.Reminder, Alert()) with { Previous = previous, EscalationStep = "reminder 2 after 45m" };

    public async Task InitializeAsync() => _stub = await SlackStub.StartAsync();

    public async Task DisposeAsync()
    {
        await _stub.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task SendAsync_RepliesInTheThread_WhenTheFiringMessageWasPosted()
    {
        var firing = Assert.IsType<NotifyResult.Sent>(await Sender.SendAsync(WebApi, Firing(), CancellationToken.None));

        var result = await Sender.SendAsync(WebApi, Reminder(firing.Reference), CancellationToken.None);

        Assert.IsType<NotifyResult.Sent>(result);
        var original = Assert.Single(_stub.TopLevelMessages);
        Assert.Equal(0, original.UpdateCount);
        Assert.Equal(":bell: Reminder 2: still firing and unacknowledged for 45m — HighErrorRate", Assert.Single(original.Replies).Text);
    }

    public static TheoryData<string, bool, DeliveryRef?> WithoutAThread => new()
    {
        // name, through the Web API (otherwise the incoming webhook), the firing message
        { "not delivered before (Web API)", true, null },
        { "the firing message was deleted", true, new DeliveryRef(SlackStub.ChannelId, "1700000000.000001") },
        { "incoming webhook", false, null },
    };

    [Theory]
    [MemberData(nameof(WithoutAThread))]
    public async Task SendAsync_PostsANewMessageMarkedAsAReminder_WhenThereIsNoThreadToReplyIn(string name, bool webApi, DeliveryRef? previous)
    {
        var result = await Sender.SendAsync(webApi ? WebApi : Webhook, Reminder(previous), CancellationToken.None);

        Assert.True(result is NotifyResult.Sent, $"{name}: {result}");
        var message = Assert.Single(_stub.TopLevelMessages);
        Assert.Empty(message.Replies);
        Assert.StartsWith("Reminder 2: still firing and unacknowledged for 45m: [FIRING:1] HighErrorRate critical", message.Text);
        Assert.Contains(":bell: *Reminder 2: still firing and unacknowledged for 45m*", message.AllText);
    }
}

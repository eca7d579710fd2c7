using System.Text.Json.Nodes;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Slack;
using AlertRelay.Core.Schedules;
using static AlertRelay.Tests.Notify.Slack.SlackTestAlerts;

namespace AlertRelay.Tests.Notify.Slack;

public class SlackPageBlocksTests
{
    private static readonly OncallPage Alice = new("primary", "alice");

    private static NotificationMessage Paged(string receiver, NotificationKind kind = NotificationKind.Firing, string? slackUserId = "U0ALICE01") =>
        new NotificationMessage(42, receiver, kind, [Alert()], null) { Paged = Alice, PagedSlackUserId = slackUserId };

    public static TheoryData<string, NotificationMessage, string?> Lines => new()
    {
        { "the channel mentions them", Paged("oncall-slack"), ":pager: On call (primary): <@U0ALICE01>" },
        { "the channel names them when they have no Slack id", Paged("oncall-slack", slackUserId: null), ":pager: On call (primary): alice" },
        { "an escalation step's page too", Paged("oncall-slack", NotificationKind.Escalation), ":pager: On call (primary): <@U0ALICE01>" },
        { "their direct message", Paged("oncall:primary/alice"), ":pager: *You are on call for primary*" },
        { "no page, no line", Message(NotificationKind.Firing, Alert()), null },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void Line_SaysWhoIsPaged_ByWhereTheMessageGoes(string name, NotificationMessage message, string? expected) =>
        Assert.True(expected == SlackPageBlocks.Line(message), $"{name}: {SlackPageBlocks.Line(message)}");

    [Fact]
    public void Build_PutsTheMentionInATopLevelBlockAndTheText_WhenTheChannelMessagePages()
    {
        var message = SlackMessageBuilder.Build(Paged("oncall-slack"));

        Assert.Equal(":pager: On call (primary): <@U0ALICE01>", message.Blocks![1]!["text"]!["text"]!.GetValue<string>());
        Assert.StartsWith(":pager: On call (primary): <@U0ALICE01>\n", message.Text);
    }

    [Fact]
    public void Build_KeepsTheAlertBlocksAndButtons_InTheDirectMessage()
    {
        var view = new SlackOncallView(Buttons: true, Page: null);

        var message = SlackMessageBuilder.Build(Paged("oncall:primary/alice"), oncall: view);

        Assert.Equal(":pager: *You are on call for primary*", message.Blocks![1]!["text"]!["text"]!.GetValue<string>());
        var details = message.Attachments![0]!["blocks"]!.AsArray();
        Assert.Contains(details, b => b!["type"]!.GetValue<string>() == "actions" && b.ToJsonString().Contains("Acknowledge", StringComparison.Ordinal));
    }
}

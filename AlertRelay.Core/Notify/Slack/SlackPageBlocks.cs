using System.Text.Json.Nodes;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The page line of a Slack message: in the channel "On call (primary): &lt;@U0ALICE01&gt;" (a mention, so Slack notifies them; their
/// name when they have no Slack id), in their direct message "You are on call for primary". None when the message pages nobody.
/// </summary>
internal static class SlackPageBlocks
{
    /// <summary>The line (mrkdwn), or <see langword="null"/>.</summary>
    public static string? Line(NotificationMessage message)
    {
        if (message.Paged is not { } page)
        {
            return null;
        }

        if (PagedText.IsDirect(message))
        {
            return $":pager: *{SlackText.Escape(PagedText.Direct(page))}*";
        }

        var who = message.PagedSlackUserId is { Length: > 0 } user ? $"<@{SlackText.Escape(user)}>" : SlackText.Escape(page.Participant);
        return $":pager: {PagedText.OnCall(page with { Schedule = SlackText.Escape(page.Schedule) }, who)}";
    }

    /// <summary>The line as a top-level section (where Slack notifies a mention), or nothing.</summary>
    public static IEnumerable<JsonObject> For(NotificationMessage message) =>
        Line(message) is { } line ? [SlackBlocks.Section(line)] : [];
}

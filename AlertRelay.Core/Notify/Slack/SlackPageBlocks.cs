using System.Text.Json.Nodes;
using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// The page line of a Slack message: in the channel "On call (primary): &lt;@U0ALICE01&gt;" (a mention, so Slack notifies them; their
/// name when they have no Slack id); in their direct message (any message to <c>oncall:&lt;schedule&gt;/&lt;participant&gt;</c>) "You are on
/// call for primary". None for other messages that page nobody.
/// </summary>
internal static class SlackPageBlocks
{
    /// <summary>The line (mrkdwn), or <see langword="null"/>.</summary>
    public static string? Line(NotificationMessage message)
    {
        // Their direct message says so whatever it is (the page, the update after an acknowledgement, the resolve): it is theirs.
        if (OncallPaging.PageOf(message.Receiver) is { } direct)
        {
            return $":pager: *{SlackText.Escape(PagedText.Direct(direct))}*";
        }

        if (message.Paged is not { } page)
        {
            return null;
        }

        var who = message.PagedSlackUserId is { Length: > 0 } user ? $"<@{SlackText.Escape(user)}>" : SlackText.Escape(page.Participant);
        return $":pager: {PagedText.OnCall(page with { Schedule = SlackText.Escape(page.Schedule) }, who)}";
    }

    /// <summary>The line as a top-level section (where Slack notifies a mention), or nothing.</summary>
    public static IEnumerable<JsonObject> For(NotificationMessage message) =>
        Line(message) is { } line ? [SlackBlocks.Section(line)] : [];
}

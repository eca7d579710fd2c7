using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify;

/// <summary>The words a page adds to a notification: the channel's "On call (primary): alice", the direct message's "You are on call for primary".</summary>
public static class PagedText
{
    /// <summary>The line naming who is paged: <paramref name="who"/> is their name, or a rendered mention such as <c>&lt;@U0ALICE01&gt;</c>.</summary>
    public static string OnCall(OncallPage page, string who) => $"On call ({page.Schedule}): {who}";

    /// <summary>What the paged person reads first in their own message.</summary>
    public static string Direct(OncallPage page) => $"You are on call for {page.Schedule}";

    /// <summary>Whether <paramref name="message"/> goes to the paged person's own receiver (a direct message or their email).</summary>
    public static bool IsDirect(NotificationMessage message) => message.Paged is { } page && OncallPaging.IsDirect(page, message.Receiver);
}

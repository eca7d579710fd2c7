using System.Text.Json.Nodes;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// A reminder in Slack: a reply in the thread of the message that announced the firing, or, with nothing to reply under (an
/// incoming webhook, or the firing message was not delivered), a note at the top of a new message about the alert.
/// </summary>
public static class SlackReminder
{
    /// <summary>The thread reply under <paramref name="ts"/> in <paramref name="channel"/>: ":bell: Reminder 2: still firing and unacknowledged for 45m — HighErrorRate".</summary>
    public static SlackMessage Reply(NotificationMessage message, string channel, string ts) =>
        new($":bell: {SlackText.Escape(ReminderText.Sentence(message))}") { Channel = channel, ThreadTs = ts };

    /// <summary>The note block a reminder posted as a new message starts with, under its header.</summary>
    public static JsonObject Note(NotificationMessage message) =>
        SlackBlocks.Section($":bell: *{SlackText.Escape(ReminderText.Note(message))}*");
}

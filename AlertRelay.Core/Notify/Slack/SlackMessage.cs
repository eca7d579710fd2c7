using System.Text.Json.Nodes;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>A Slack message as chat.postMessage, chat.update and incoming webhooks take it: fallback text, Block Kit blocks and coloured attachments.</summary>
/// <param name="Text">
/// The fallback text (mrkdwn): what notifications, screen readers and clients without Block Kit show; Slack
/// warns when a message with blocks has none.
/// </param>
public sealed record SlackMessage(string Text)
{
    /// <summary>The channel (name or id) to post to; chat.update takes the id separately.</summary>
    public string? Channel { get; init; }

    /// <summary>Top-level Block Kit blocks (the header), or null.</summary>
    public JsonArray? Blocks { get; init; }

    /// <summary>Attachments: here one, carrying the colour bar and the detail blocks, or null.</summary>
    public JsonArray? Attachments { get; init; }

    /// <summary>The ts of the message to reply under (a thread reply), or null for a top-level message.</summary>
    public string? ThreadTs { get; init; }

    /// <summary>All blocks of the message, top-level and inside attachments (Slack's 50-block limit counts them together here).</summary>
    public int BlockCount =>
        (Blocks?.Count ?? 0) + (Attachments?.Sum(a => (a?["blocks"] as JsonArray)?.Count ?? 0) ?? 0);

    /// <summary>The JSON payload (a fresh tree each call, so it can be embedded or changed): channel, text, blocks, attachments, thread_ts.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (!string.IsNullOrEmpty(Channel))
        {
            json["channel"] = Channel;
        }

        json["text"] = Text;
        if (Blocks is not null)
        {
            json["blocks"] = Blocks.DeepClone();
        }

        if (Attachments is not null)
        {
            json["attachments"] = Attachments.DeepClone();
        }

        if (!string.IsNullOrEmpty(ThreadTs))
        {
            json["thread_ts"] = ThreadTs;
        }

        return json;
    }
}

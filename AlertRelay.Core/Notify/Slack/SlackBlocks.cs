using System.Text.Json.Nodes;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>Block Kit blocks, each kept within Slack's limits (texts are truncated, not rejected).</summary>
internal static class SlackBlocks
{
    public const int MaxBlocks = 50;
    public const int MaxSectionText = 3000;
    public const int MaxFieldText = 2000;
    public const int MaxFields = 10;
    public const int MaxHeaderText = 150;
    public const int MaxContextElements = 10;
    public const int MaxButtonText = 75;
    public const int MaxButtonUrl = 3000;
    public const int MaxButtons = 25;

    public static JsonObject Header(string plainText) => new()
    {
        ["type"] = "header",
        ["text"] = PlainText(SlackText.Truncate(SlackText.OneLine(plainText), MaxHeaderText)),
    };

    public static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = Mrkdwn(SlackText.Truncate(mrkdwn, MaxSectionText)),
    };

    public static JsonObject Fields(IEnumerable<string> mrkdwnFields) => new()
    {
        ["type"] = "section",
        ["fields"] = new JsonArray([.. mrkdwnFields.Take(MaxFields).Select(f => (JsonNode)Mrkdwn(SlackText.Truncate(f, MaxFieldText)))]),
    };

    public static JsonObject Context(IEnumerable<string> mrkdwnElements) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray([.. mrkdwnElements.Take(MaxContextElements).Select(e => (JsonNode)Mrkdwn(SlackText.Truncate(e, MaxSectionText)))]),
    };

    /// <summary>Link buttons; <paramref name="idPrefix"/> keeps action ids unique within the message, as Slack requires.</summary>
    public static JsonObject Actions(IEnumerable<(string Text, string Url)> links, string idPrefix) => new()
    {
        ["type"] = "actions",
        ["elements"] = new JsonArray([.. links.Take(MaxButtons).Select((link, i) => (JsonNode)new JsonObject
        {
            ["type"] = "button",
            ["text"] = PlainText(SlackText.Truncate(link.Text, MaxButtonText)),
            ["url"] = link.Url,
            ["action_id"] = $"{idPrefix}-{i}",
        })]),
    };

    public static JsonObject Divider() => new() { ["type"] = "divider" };

    /// <summary>An absolute http(s) URL Slack accepts in a button; anything else (relative paths, javascript:, too long) would make Slack reject the whole message with invalid_blocks.</summary>
    public static bool IsLinkable(string? url) =>
        !string.IsNullOrWhiteSpace(url) &&
        url.Length <= MaxButtonUrl &&
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    // Slack rejects empty text objects; an empty one here is a template that rendered to nothing.
    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = NonEmpty(text), ["emoji"] = true };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = NonEmpty(text) };

    private static string NonEmpty(string text) => string.IsNullOrWhiteSpace(text) ? "-" : text;
}

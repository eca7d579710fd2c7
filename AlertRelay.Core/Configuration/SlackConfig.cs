using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>One entry of a receiver's <c>slack_configs</c>, with Alertmanager's field names; secrets are redacted from <see cref="object.ToString"/>.</summary>
public sealed record SlackConfig
{
    /// <summary><c>channel</c>: the channel or user to post to (required).</summary>
    public required string Channel { get; init; }

    /// <summary><c>bot_token</c>: a Slack bot token for the Web API (secret).</summary>
    public string? BotToken { get; init; }

    /// <summary><c>bot_token_file</c>: a file holding the bot token.</summary>
    public string? BotTokenFile { get; init; }

    /// <summary><c>api_url</c>: an incoming-webhook URL (secret).</summary>
    public string? ApiUrl { get; init; }

    /// <summary><c>api_url_file</c>: a file holding the incoming-webhook URL.</summary>
    public string? ApiUrlFile { get; init; }

    /// <summary><c>api_base_url</c>: the Slack Web API base URL (for tests or proxies).</summary>
    public string? ApiBaseUrl { get; init; }

    /// <summary><c>send_resolved</c>: whether to notify about resolved alerts (Alertmanager's default for Slack: false).</summary>
    public bool SendResolved { get; init; }

    /// <summary><c>title</c>: the message title template.</summary>
    public string? Title { get; init; }

    /// <summary><c>text</c>: the message body template.</summary>
    public string? Text { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Channel = {Channel}, BotToken = {Redacted(BotToken)}, BotTokenFile = {BotTokenFile}, ApiUrl = {Redacted(ApiUrl)}, ");
        builder.Append($"ApiUrlFile = {ApiUrlFile}, ApiBaseUrl = {ApiBaseUrl}, SendResolved = {SendResolved}, Title = {Title}, Text = {Text}");
        return true;
    }

    private static string? Redacted(string? secret) => secret is null ? null : "<secret>";
}

using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>
/// One entry of a receiver's <c>msteamsv2_configs</c> (a Microsoft Teams Workflows webhook), with Alertmanager's field names; the
/// webhook URL carries its own signature, so it is a secret, redacted from <see cref="object.ToString"/>.
/// </summary>
public sealed record MsTeamsV2Config
{
    /// <summary><c>webhook_url</c>: the Workflows webhook to POST to (this or <see cref="WebhookUrlFile"/> is required; secret).</summary>
    public string? WebhookUrl { get; init; }

    /// <summary><c>webhook_url_file</c>: a file holding the webhook URL, read at each send.</summary>
    public string? WebhookUrlFile { get; init; }

    /// <summary><c>title</c>: the card's heading (Liquid template; default AlertRelay's title, e.g. [FIRING:1] HighErrorRate critical).</summary>
    public string? Title { get; init; }

    /// <summary><c>text</c>: the card's text (Liquid template; default: a line per alert with its summary and links).</summary>
    public string? Text { get; init; }

    /// <summary><c>http_config</c>: credentials and redirects; <see cref="Configuration.HttpConfig.Default"/> when absent.</summary>
    public HttpConfig HttpConfig { get; init; } = HttpConfig.Default;

    /// <summary><c>send_resolved</c>: Alertmanager's default for Teams is true.</summary>
    public bool SendResolved { get; init; } = true;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"WebhookUrl = {(WebhookUrl is null ? null : "<secret>")}, WebhookUrlFile = {WebhookUrlFile}, Title = {Title}, ");
        builder.Append($"Text = {Text}, HttpConfig = {HttpConfig}, SendResolved = {SendResolved}");
        return true;
    }
}

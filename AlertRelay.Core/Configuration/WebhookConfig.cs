using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>One entry of a receiver's <c>webhook_configs</c>, with Alertmanager's field names; the URL is redacted from <see cref="object.ToString"/>.</summary>
public sealed record WebhookConfig
{
    /// <summary><c>url</c>: where to POST (this or <see cref="UrlFile"/> is required; may hold a token, so treated as a secret).</summary>
    public string? Url { get; init; }

    /// <summary><c>url_file</c>: a file holding the URL.</summary>
    public string? UrlFile { get; init; }

    /// <summary><c>send_resolved</c>: whether to notify about resolved alerts (Alertmanager's default for webhooks: true).</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary><c>http_config</c>: credentials and redirects; <see cref="Configuration.HttpConfig.Default"/> when absent.</summary>
    public HttpConfig HttpConfig { get; init; } = HttpConfig.Default;

    /// <summary><c>max_alerts</c>: the most alerts sent in one message; 0 means all.</summary>
    public int MaxAlerts { get; init; }

    /// <summary>Why <paramref name="url"/> cannot be a webhook's URL (as Alertmanager's <c>parseURL</c>: http or https, with a host), or null. Never repeats the URL: it may hold a token.</summary>
    public static string? UrlProblem(string url) =>
        !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || url.TrimStart().StartsWith('/') ? "invalid URL: not an absolute http or https URL"
        : uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps ? $"unsupported scheme \"{uri.Scheme}\" for URL (http or https)"
        : uri.Host.Length == 0 ? "host is missing in URL"
        : null;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Url = {(Url is null ? null : "<secret>")}, UrlFile = {UrlFile}, SendResolved = {SendResolved}, ");
        builder.Append($"HttpConfig = {HttpConfig}, MaxAlerts = {MaxAlerts}");
        return true;
    }
}

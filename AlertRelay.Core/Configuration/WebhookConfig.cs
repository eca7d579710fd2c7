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

    /// <summary><c>http_config</c>, kept as read (scalars as strings, lists and maps nested); empty when absent.</summary>
    public IReadOnlyDictionary<string, object?> HttpConfig { get; init; } = new Dictionary<string, object?>();

    /// <summary><c>max_alerts</c>: the most alerts sent in one message; 0 means all.</summary>
    public int MaxAlerts { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Url = {(Url is null ? null : "<secret>")}, UrlFile = {UrlFile}, SendResolved = {SendResolved}, ");
        builder.Append($"HttpConfig = [{string.Join(", ", HttpConfig.Keys)}], MaxAlerts = {MaxAlerts}");
        return true;
    }
}

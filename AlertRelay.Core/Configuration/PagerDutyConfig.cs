using System.Text;

namespace AlertRelay.Core.Configuration;

/// <summary>
/// One entry of a receiver's <c>pagerduty_configs</c> (PagerDuty Events API v2), with Alertmanager's field names. Text fields are
/// Liquid templates rendered per notification; the routing key is redacted from <see cref="object.ToString"/>.
/// </summary>
public sealed record PagerDutyConfig
{
    /// <summary>PagerDuty's Events API v2 endpoint, Alertmanager's default <c>url</c>.</summary>
    public const string DefaultUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>The <c>severity</c> used when none is set, as Alertmanager: error.</summary>
    public const string DefaultSeverity = "error";

    /// <summary>The severities the Events API v2 accepts in <c>payload.severity</c>.</summary>
    public static IReadOnlyList<string> Severities { get; } = ["critical", "error", "warning", "info"];

    /// <summary><c>routing_key</c>: the Events API v2 integration key (this or <see cref="RoutingKeyFile"/> is required; secret).</summary>
    public string? RoutingKey { get; init; }

    /// <summary><c>routing_key_file</c>: a file holding the routing key, read at each send.</summary>
    public string? RoutingKeyFile { get; init; }

    /// <summary><c>url</c>: where events are POSTed.</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary><c>client</c>: the name of the monitoring client shown in PagerDuty (template; default AlertRelay).</summary>
    public string Client { get; init; } = "AlertRelay";

    /// <summary><c>client_url</c>: the client's link in PagerDuty (template; default Alertmanager's external URL).</summary>
    public string ClientUrl { get; init; } = "{{ external_url }}";

    /// <summary><c>description</c>: the event's <c>payload.summary</c> (template; default AlertRelay's title, e.g. [FIRING:1] HighErrorRate critical).</summary>
    public string? Description { get; init; }

    /// <summary><c>severity</c>: critical, error, warning or info (template; default error).</summary>
    public string Severity { get; init; } = DefaultSeverity;

    /// <summary><c>source</c>: the affected system (template; default: the rendered <see cref="Client"/>, as Alertmanager).</summary>
    public string? Source { get; init; }

    /// <summary><c>class</c>: the class or type of the event (template).</summary>
    public string? Class { get; init; }

    /// <summary><c>component</c>: the affected part of the source (template).</summary>
    public string? Component { get; init; }

    /// <summary><c>group</c>: a logical grouping of components (template).</summary>
    public string? Group { get; init; }

    /// <summary><c>details</c>: templates rendered into <c>payload.custom_details</c>, added to (or replacing) the default details.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary><c>images</c>: images shown on the alert (templates; an image whose src renders empty is left out).</summary>
    public IReadOnlyList<PagerDutyImage> Images { get; init; } = [];

    /// <summary><c>links</c>: links shown on the alert (templates; a link whose href renders empty is left out).</summary>
    public IReadOnlyList<PagerDutyLink> Links { get; init; } = [];

    /// <summary><c>http_config</c>: credentials and redirects; <see cref="Configuration.HttpConfig.Default"/> when absent.</summary>
    public HttpConfig HttpConfig { get; init; } = HttpConfig.Default;

    /// <summary><c>send_resolved</c>: whether resolves are sent (Alertmanager's default for PagerDuty: true).</summary>
    public bool SendResolved { get; init; } = true;

    /// <summary><c>timeout</c>: the most one POST may take; null for AlertRelay:Notify:PagerDutyTimeoutSeconds.</summary>
    public TimeSpan? Timeout { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"RoutingKey = {(RoutingKey is null ? null : "<secret>")}, RoutingKeyFile = {RoutingKeyFile}, Url = {Url}, ");
        builder.Append($"Client = {Client}, ClientUrl = {ClientUrl}, Description = {Description}, Severity = {Severity}, Source = {Source}, ");
        builder.Append($"Class = {Class}, Component = {Component}, Group = {Group}, Details = {Details.Count}, Images = {Images.Count}, ");
        builder.Append($"Links = {Links.Count}, HttpConfig = {HttpConfig}, SendResolved = {SendResolved}, Timeout = {Timeout}");
        return true;
    }
}

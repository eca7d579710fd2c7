namespace AlertRelay.Core.Oncall;

/// <summary>
/// Where silences are created, bound to <c>AlertRelay:Alertmanager</c>: the Alertmanager base URLs (an HA pair: each is tried in
/// order until one answers; gossip gives the silence to the others), the labels left out of a silence's matchers, and timings.
/// No URL: silences are off (<see cref="NoSilencer"/>, one start-up warning).
/// </summary>
public sealed class AlertmanagerOptions
{
    public const string SectionName = "AlertRelay:Alertmanager";

    /// <summary>The longest silence the API, Slack and links may ask for (a forgotten silence hides an outage).</summary>
    public static readonly TimeSpan MaxSilenceDuration = TimeSpan.FromDays(7);

    /// <summary>Base URLs of the Alertmanagers (<c>http://am-1:9093</c>), tried in this order. Blank entries are ignored.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>
    /// Label names left out of a silence's matchers, e.g. <c>[instance, pod]</c> so that a silence covers the alert on every
    /// instance. Default: none (the silence matches exactly the alert's label set).
    /// </summary>
    public List<string> SilenceExcludedLabels { get; set; } = [];

    /// <summary>The most one call to one Alertmanager may take before the next URL is tried.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>How often the watcher asks Alertmanager whether the stored silences still hold.</summary>
    public double WatchIntervalSeconds { get; set; } = 30;

    /// <summary>The configured URLs without blank entries.</summary>
    public IReadOnlyList<string> BaseUrls => Urls.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).ToList();

    public bool IsConfigured => BaseUrls.Count > 0;

    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < Urls.Count; i++)
        {
            var url = Urls[i];
            if (string.IsNullOrWhiteSpace(url))
            {
                continue;
            }

            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            {
                yield return $"{SectionName}:Urls:{i}: \"{url}\" is not an absolute http(s) URL";
            }
            else if (uri.UserInfo.Length > 0)
            {
                // Not echoed: it would print the password.
                yield return $"{SectionName}:Urls:{i}: must not carry user info (a password in a URL ends up in logs)";
            }
            else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                yield return $"{SectionName}:Urls:{i}: \"{url}\" must be a base URL without query or fragment";
            }
        }

        for (var i = 0; i < SilenceExcludedLabels.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(SilenceExcludedLabels[i]))
            {
                yield return $"{SectionName}:SilenceExcludedLabels:{i}: a label name may not be empty";
            }
        }

        if (TimeoutSeconds is <= 0 or > 120)
        {
            yield return $"{SectionName}:TimeoutSeconds must be more than 0 and at most 120, not {TimeoutSeconds}";
        }

        if (WatchIntervalSeconds is < 1 or > 3600)
        {
            yield return $"{SectionName}:WatchIntervalSeconds must be at least 1 and at most 3600, not {WatchIntervalSeconds}";
        }
    }
}

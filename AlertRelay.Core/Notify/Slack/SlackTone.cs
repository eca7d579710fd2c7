using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>How an alert looks in Slack: its colour bar and emoji, by severity (resolved is always green).</summary>
internal enum SlackTone
{
    Resolved,
    Info,
    Warning,
    Critical,
}

/// <summary>The colours and emoji of each <see cref="SlackTone"/>, and the severity spellings that map to them.</summary>
internal static class SlackTones
{
    public const string CriticalColor = "#E01E5A";
    public const string WarningColor = "#ECB22E";
    public const string InfoColor = "#36C5F0";
    public const string ResolvedColor = "#2EB67D";

    /// <summary>The tone of one alert: green once resolved, else by severity; an unknown or missing severity is a warning (an alert, but not a page).</summary>
    public static SlackTone Of(NotifiedOccurrence alert) =>
        alert.Status == AlertStatus.Resolved ? SlackTone.Resolved : OfSeverity(alert.Severity);

    public static SlackTone OfSeverity(string severity) => severity.Trim().ToLowerInvariant() switch
    {
        "critical" or "crit" or "page" or "emergency" or "fatal" or "error" or "high" or "p1" => SlackTone.Critical,
        "info" or "informational" or "notice" or "low" or "none" or "p4" or "p5" => SlackTone.Info,
        _ => SlackTone.Warning,
    };

    /// <summary>The tone of a message about several alerts: the worst firing one, or green when none fires.</summary>
    public static SlackTone Worst(IEnumerable<NotifiedOccurrence> alerts) =>
        alerts.Where(a => a.Status == AlertStatus.Firing).Select(Of).DefaultIfEmpty(SlackTone.Resolved).Max();

    public static string Color(SlackTone tone) => tone switch
    {
        SlackTone.Critical => CriticalColor,
        SlackTone.Warning => WarningColor,
        SlackTone.Info => InfoColor,
        _ => ResolvedColor,
    };

    public static string Emoji(SlackTone tone) => tone switch
    {
        SlackTone.Critical => ":red_circle:",
        SlackTone.Warning => ":large_orange_circle:",
        SlackTone.Info => ":large_blue_circle:",
        _ => ":large_green_circle:",
    };
}

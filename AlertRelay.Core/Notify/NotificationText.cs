using System.Globalization;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>
/// The words every integration uses for a notification, so that Slack and e-mail say the same thing: Alertmanager's status tag and
/// title, the thread topic, an alert's links (Source, Runbook, Dashboard), times and human durations.
/// </summary>
public static class NotificationText
{
    // Annotations shown as links, in this order, with their link text; generatorURL comes first as "Source".
    private static readonly (string Annotation, string Title)[] LinkAnnotations =
    [
        ("runbook_url", "Runbook"),
        ("runbook", "Runbook"),
        ("dashboard_url", "Dashboard"),
        ("dashboard", "Dashboard"),
    ];

    /// <summary>Whether the message tells of a resolve: a resolve notification, or alerts of which none fires any more.</summary>
    public static bool IsResolved(NotificationMessage message) =>
        message.Kind == NotificationKind.Resolved || (message.Alerts.Count > 0 && message.FiringCount == 0);

    /// <summary>Alertmanager's status tag: <c>[FIRING:2]</c>, <c>[RESOLVED]</c>; a digest with resolved alerts counts both, <c>[FIRING:10, RESOLVED:2]</c>.</summary>
    public static string StatusTag(NotificationMessage message) =>
        IsResolved(message) ? "[RESOLVED]"
        : message.ResolvedCount > 0 && message.Kind == NotificationKind.Digest ? $"[FIRING:{Count(message.FiringCount)}, RESOLVED:{Count(message.ResolvedCount)}]"
        : $"[FIRING:{Count(message.FiringCount)}]";

    /// <summary>
    /// The tag of a line that stands alone, such as an e-mail subject: <c>[ESCALATED]</c> for an escalation (Slack shows the
    /// escalation as a line of its own under the title instead), <c>[REMINDER 2]</c> for a reminder with no mail to reply to,
    /// otherwise <see cref="StatusTag"/>.
    /// </summary>
    public static string SubjectTag(NotificationMessage message) =>
        message.Kind == NotificationKind.Escalation ? "[ESCALATED]"
        // A reminder replying to the firing mail keeps its subject ("Re: [FIRING:1] ..."), so that every client threads it.
        : message.Kind == NotificationKind.Reminder && message.Previous?.EmailMessageId is not { Length: > 0 } ? ReminderText.Tag(message)
        : StatusTag(message);

    /// <summary>
    /// Alertmanager's default title, as things are now: <c>[FIRING:1] HighErrorRate critical</c> (the occurrence's severity, which an
    /// escalation may have raised), <c>[FIRING:2] HighErrorRate critical (2 alerts)</c>, <c>[FIRING:10, RESOLVED:2] 12 alerts for receiver oncall</c>.
    /// </summary>
    public static string Title(NotificationMessage message)
    {
        var alerts = message.Alerts;
        var name = Common(alerts, a => a.Alertname);
        var subject = alerts.Count == 1 ? About(alerts[0], alerts[0].Severity)
            : name.Length == 0 ? ForReceiver(message)
            : $"{name} {Common(alerts, a => a.Severity)}".Trim() + $" ({Count(alerts.Count)} alerts)";
        return $"{StatusTag(message)} {subject}".TrimEnd();
    }

    /// <summary>
    /// What a message is about, the same in every state of one alert (an e-mail thread's topic): <c>HighErrorRate critical</c> from its
    /// labels, or <c>37 alerts for receiver team-email</c> for a digest or several alerts. One line.
    /// </summary>
    public static string Topic(NotificationMessage message)
    {
        if (message.Kind == NotificationKind.Digest || message.Alerts.Count != 1)
        {
            return ForReceiver(message);
        }

        // The severity label, not the occurrence's severity: an escalation may change the latter, and the topic must stay the same.
        var alert = message.Alerts[0];
        return About(alert, alert.Labels.Get("severity") is { Length: > 0 } label ? label : alert.Severity).ReplaceLineEndings(" ");
    }

    /// <summary>"1 alert", "37 alerts".</summary>
    public static string AlertCount(int count) => count == 1 ? "1 alert" : $"{Count(count)} alerts";

    /// <summary>
    /// An alert's links: Source (its generatorURL), Runbook (<c>runbook_url</c>, <c>runbook</c>) and Dashboard (<c>dashboard_url</c>,
    /// <c>dashboard</c>), each non-blank URL once, trimmed. Whether a URL may become a clickable link is the integration's call.
    /// </summary>
    public static IReadOnlyList<(string Title, string Url)> Links(NotifiedOccurrence alert)
    {
        var links = new List<(string Title, string Url)>();
        Add("Source", alert.GeneratorUrl);
        foreach (var (annotation, title) in LinkAnnotations)
        {
            Add(title, alert.Annotations.Get(annotation));
        }

        return links;

        void Add(string title, string url)
        {
            url = url.Trim();
            if (url.Length > 0 && !links.Exists(l => l.Url == url))
            {
                links.Add((title, url));
            }
        }
    }

    /// <summary>Whether an annotation is one of the links of <see cref="Links"/>.</summary>
    public static bool IsLinkAnnotation(string name) => Array.Exists(LinkAnnotations, l => l.Annotation == name);

    /// <summary>How long an alert lasted (<see cref="Duration"/>), or null while it has no end or when its end is before its start.</summary>
    public static string? Lasted(NotifiedOccurrence alert) =>
        alert.EndsAt is { } ends && ends >= alert.StartsAt ? Duration(ends - alert.StartsAt) : null;

    /// <summary>A duration in whole seconds, as Prometheus writes one: <c>45s</c>, <c>12m</c>, <c>1h5m</c>, <c>1d2h1m</c>, <c>0s</c> for none.</summary>
    public static string Duration(TimeSpan span) =>
        PrometheusDuration.Format(TimeSpan.FromSeconds(Math.Floor(Math.Max(0, span.TotalSeconds))));

    /// <summary>An instant for every reader: <c>2026-11-25 13:00:00 UTC</c>.</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"alertname severity", or "alert &lt;fingerprint&gt;" for an alert with neither.</summary>
    private static string About(NotifiedOccurrence alert, string severity)
    {
        var about = string.Join(' ', new[] { alert.Alertname, severity }.Where(s => s.Length > 0));
        return about.Length > 0 ? about : $"alert {alert.Fingerprint}";
    }

    private static string ForReceiver(NotificationMessage message) => $"{AlertCount(message.Alerts.Count)} for receiver {message.Receiver}";

    private static string Common(IReadOnlyList<NotifiedOccurrence> alerts, Func<NotifiedOccurrence, string> value) =>
        alerts.Count > 0 && alerts.All(a => value(a) == value(alerts[0])) ? value(alerts[0]) : "";

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Net;
using System.Text;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify.Email;

/// <summary>The built-in plain-text and HTML bodies of a notification e-mail.</summary>
/// <remarks>
/// Labels and annotations come from whoever can reach Alertmanager: every value in the HTML body goes
/// through <see cref="WebUtility.HtmlEncode(string)"/>, and only absolute http(s) URLs become links
/// (a <c>javascript:</c> runbook_url is shown as text).
/// </remarks>
internal static class EmailBody
{
    /// <summary>A digest lists at most this many alerts in full; the rest are counted.</summary>
    internal const int MaxAlertsInBody = 100;

    private static readonly string[] SummaryAnnotations = ["summary", "description"];

    public static string Text(NotificationMessage message, string subject, EmailLinks? links = null)
    {
        var text = new StringBuilder();
        text.Append(subject).Append("\n\n");
        text.Append(Intro(message)).Append("\n");
        if (message.Paged is { } page)
        {
            text.Append(PagedText.OnCall(page, page.Participant)).Append('\n');
        }
        if (links is not null)
        {
            // First, where a phone shows it without scrolling: the page asks for a click before anything happens.
            text.Append("\nAcknowledge: ").Append(links.Acknowledge.AbsoluteUri).Append('\n');
            text.Append("Silence 1h: ").Append(links.Silence.AbsoluteUri).Append('\n');
            text.Append("Open in AlertRelay: ").Append(links.Page.AbsoluteUri).Append('\n');
        }

        foreach (var alert in message.Alerts.Take(MaxAlertsInBody))
        {
            text.Append("\n----------------------------------------\n");
            AppendAlertText(text, alert);
        }

        if (message.Alerts.Count > MaxAlertsInBody)
        {
            text.Append("\n... and ").Append(message.Alerts.Count - MaxAlertsInBody).Append(" more.\n");
        }

        text.Append("\n----------------------------------------\n");
        if (AlertmanagerLink(message) is { } link)
        {
            text.Append("View in Alertmanager: ").Append(link).Append('\n');
        }

        text.Append("Sent by AlertRelay to receiver ").Append(message.Receiver)
            .Append(" (notification ").Append(message.NotificationId.ToString(CultureInfo.InvariantCulture)).Append(").\n");
        return text.ToString();
    }

    public static string Html(NotificationMessage message, string subject, EmailLinks? links = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(E(subject)).Append("</title></head>\n");
        html.Append("<body style=\"font-family:Helvetica,Arial,sans-serif;font-size:14px;color:#222;margin:0;padding:16px;\">\n");
        html.Append("<div style=\"max-width:720px;margin:0 auto;\">\n");
        html.Append("<div style=\"background:").Append(Colour(message)).Append(";color:#fff;padding:12px 16px;font-size:16px;font-weight:bold;\">")
            .Append(E(Intro(message))).Append("</div>\n");
        if (message.Paged is { } page)
        {
            html.Append("<p style=\"font-size:15px;font-weight:bold;\">").Append(E(PagedText.OnCall(page, page.Participant))).Append("</p>\n");
        }
        if (links is not null)
        {
            AppendActionsHtml(html, links);
        }

        foreach (var alert in message.Alerts.Take(MaxAlertsInBody))
        {
            AppendAlertHtml(html, alert);
        }

        if (message.Alerts.Count > MaxAlertsInBody)
        {
            html.Append("<p>&hellip; and ").Append(message.Alerts.Count - MaxAlertsInBody).Append(" more.</p>\n");
        }

        html.Append("<p style=\"color:#777;font-size:12px;margin-top:24px;\">");
        if (AlertmanagerLink(message) is { } link)
        {
            html.Append(Link(link, "View in Alertmanager")).Append("<br>");
        }

        html.Append("Sent by AlertRelay to receiver ").Append(E(message.Receiver))
            .Append(" (notification ").Append(message.NotificationId.ToString(CultureInfo.InvariantCulture)).Append(").</p>\n");
        html.Append("</div>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>One sentence saying why this mail was sent.</summary>
    internal static string Intro(NotificationMessage message)
    {
        if (message.Kind == NotificationKind.Digest || message.Alerts.Count != 1)
        {
            return $"{NotificationText.Topic(message)}: {message.FiringCount} firing, {message.ResolvedCount} resolved.";
        }

        var alert = message.Alerts[0];
        return message.Kind switch
        {
            NotificationKind.Escalation =>
                $"Escalated{(string.IsNullOrEmpty(message.EscalationStep) ? "" : $" ({message.EscalationStep})")}: {alert.Alertname} is still firing and not acknowledged.",
            NotificationKind.Reminder when alert.Status == AlertStatus.Firing => ReminderText.Sentence(message) + ".",
            _ when alert.Status == AlertStatus.Resolved =>
                $"Resolved: {alert.Alertname}{(NotificationText.Lasted(alert) is { } lasted ? $" (lasted {lasted})" : "")}.",
            _ => $"Firing: {alert.Alertname}.",
        };
    }

    private static void AppendAlertText(StringBuilder text, NotifiedOccurrence alert)
    {
        text.Append('[').Append(alert.Status.ToText().ToUpperInvariant()).Append("] ").Append(alert.Alertname);
        if (alert.Severity.Length > 0)
        {
            text.Append(" (").Append(alert.Severity).Append(')');
        }

        text.Append('\n');
        foreach (var name in SummaryAnnotations)
        {
            if (alert.Annotations.Get(name) is { Length: > 0 } value)
            {
                text.Append(Title(name)).Append(": ").Append(value).Append('\n');
            }
        }

        text.Append("Started: ").Append(NotificationText.Time(alert.StartsAt)).Append('\n');
        if (alert.Status == AlertStatus.Resolved && alert.EndsAt is { } endsAt)
        {
            text.Append("Ended: ").Append(NotificationText.Time(endsAt));
            if (NotificationText.Lasted(alert) is { } lasted)
            {
                text.Append(" (lasted ").Append(lasted).Append(')');
            }

            text.Append('\n');
        }

        text.Append("Labels:\n");
        foreach (var (name, value) in alert.Labels)
        {
            text.Append("  ").Append(name).Append(" = ").Append(value).Append('\n');
        }

        var others = OtherAnnotations(alert).ToList();
        if (others.Count > 0)
        {
            text.Append("Annotations:\n");
            foreach (var (name, value) in others)
            {
                text.Append("  ").Append(name).Append(" = ").Append(value).Append('\n');
            }
        }

        foreach (var (title, url) in NotificationText.Links(alert))
        {
            text.Append(title).Append(": ").Append(url).Append('\n');
        }
    }

    private static void AppendAlertHtml(StringBuilder html, NotifiedOccurrence alert)
    {
        var firing = alert.Status == AlertStatus.Firing;
        html.Append("<div style=\"border:1px solid #ddd;border-left:4px solid ").Append(firing ? "#d32f2f" : "#2e7d32")
            .Append(";padding:12px 16px;margin-top:12px;\">\n");
        html.Append("<div style=\"font-size:15px;font-weight:bold;\">[").Append(firing ? "FIRING" : "RESOLVED").Append("] ")
            .Append(E(alert.Alertname));
        if (alert.Severity.Length > 0)
        {
            html.Append(" <span style=\"font-weight:normal;color:#555;\">(").Append(E(alert.Severity)).Append(")</span>");
        }

        html.Append("</div>\n");
        if (alert.Annotations.Get("summary") is { Length: > 0 } summary)
        {
            html.Append("<p style=\"margin:8px 0;\"><strong>").Append(E(summary)).Append("</strong></p>\n");
        }

        if (alert.Annotations.Get("description") is { Length: > 0 } description)
        {
            html.Append("<p style=\"margin:8px 0;white-space:pre-wrap;\">").Append(E(description)).Append("</p>\n");
        }

        html.Append("<p style=\"margin:8px 0;color:#555;\">Started ").Append(E(NotificationText.Time(alert.StartsAt)));
        if (alert.Status == AlertStatus.Resolved && alert.EndsAt is { } endsAt)
        {
            html.Append(" &middot; ended ").Append(E(NotificationText.Time(endsAt)));
            if (NotificationText.Lasted(alert) is { } lasted)
            {
                html.Append(" (lasted ").Append(E(lasted)).Append(')');
            }
        }

        html.Append("</p>\n");
        AppendTable(html, "Labels", alert.Labels);
        AppendTable(html, "Annotations", OtherAnnotations(alert).ToList());

        var links = NotificationText.Links(alert);
        if (links.Count > 0)
        {
            html.Append("<p style=\"margin:8px 0;\">")
                .AppendJoin(" &middot; ", links.Select(l => Link(l.Url, l.Title)))
                .Append("</p>\n");
        }

        html.Append("</div>\n");
    }

    /// <summary>Buttons as links (mail clients run no forms or scripts): each opens the alert page, whose own button acts.</summary>
    private static void AppendActionsHtml(StringBuilder html, EmailLinks links)
    {
        const string button = "display:inline-block;padding:12px 20px;margin:12px 8px 0 0;border-radius:4px;font-weight:bold;text-decoration:none;";
        html.Append("<p style=\"margin:0;\">")
            .Append("<a href=\"").Append(E(links.Acknowledge.AbsoluteUri)).Append("\" style=\"").Append(button).Append("background:#1565c0;color:#fff;\">Acknowledge</a>")
            .Append("<a href=\"").Append(E(links.Silence.AbsoluteUri)).Append("\" style=\"").Append(button).Append("background:#eceff1;color:#222;border:1px solid #90a4ae;\">Silence 1h</a>")
            .Append("<a href=\"").Append(E(links.Page.AbsoluteUri)).Append("\" style=\"").Append(button).Append("color:#1565c0;\">Open in AlertRelay</a>")
            .Append("</p>\n");
    }

    private static void AppendTable(StringBuilder html, string caption, IReadOnlyCollection<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        html.Append("<table style=\"border-collapse:collapse;margin:8px 0;font-size:13px;\">\n<caption style=\"text-align:left;font-weight:bold;padding:4px 0;\">")
            .Append(caption).Append("</caption>\n");
        foreach (var (name, value) in pairs)
        {
            html.Append("<tr><td style=\"padding:2px 12px 2px 0;color:#555;vertical-align:top;\">").Append(E(name))
                .Append("</td><td style=\"padding:2px 0;font-family:monospace;white-space:pre-wrap;\">").Append(E(value)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static IEnumerable<KeyValuePair<string, string>> OtherAnnotations(NotifiedOccurrence alert) =>
        alert.Annotations.Where(a => !SummaryAnnotations.Contains(a.Key) && !NotificationText.IsLinkAnnotation(a.Key));

    private static string? AlertmanagerLink(NotificationMessage message) =>
        message.ExternalUrl.Length == 0 ? null : $"{message.ExternalUrl.TrimEnd('/')}/#/alerts?receiver={Uri.EscapeDataString(message.Receiver)}";

    /// <summary>A link when <paramref name="url"/> is an absolute http(s) URL; otherwise the text "title: url", escaped.</summary>
    private static string Link(string url, string title) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $"<a href=\"{E(url)}\" style=\"color:#1565c0;\">{E(title)}</a>"
            : $"{E(title)}: {E(url)}";

    private static string Colour(NotificationMessage message) => message.Kind switch
    {
        NotificationKind.Escalation => "#ef6c00",
        _ when message.FiringCount > 0 => "#d32f2f",
        _ => "#2e7d32",
    };

    private static string Title(string annotation) => char.ToUpperInvariant(annotation[0]) + annotation[1..];

    private static string E(string value) => WebUtility.HtmlEncode(value);
}

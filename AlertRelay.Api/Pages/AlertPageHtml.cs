using System.Globalization;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using static AlertRelay.Api.Pages.HtmlPage;

namespace AlertRelay.Api.Pages;

/// <summary>
/// The body of the alert page: what the alert is (summary, description, status, labels, annotations), who acted on it
/// (acknowledgement, silence, timeline), and one form per action offered, each carrying its own signed token.
/// </summary>
public static class AlertPageHtml
{
    private static readonly string[] SummaryAnnotations = ["summary", "description"];

    public static string Body(OccurrenceRecord alert, IReadOnlyList<AlertEvent> events, LinkPageState? state, IReadOnlyList<AlertPageForm> forms, string? error = null, string? notice = null)
    {
        var html = new StringBuilder();
        var firing = alert.Status == AlertStatus.Firing;
        html.Append("<h1>").Append(E(alert.Alertname.Length > 0 ? alert.Alertname : $"Alert {alert.Id}")).Append("</h1>\n");
        html.Append("<p><span class=\"status").Append(firing ? "" : " resolved").Append("\">").Append(firing ? "Firing" : "Resolved").Append("</span>");
        if (alert.Severity.Length > 0)
        {
            html.Append(" <small>severity ").Append(E(alert.Severity)).Append("</small>");
        }

        html.Append("</p>\n");
        foreach (var name in SummaryAnnotations)
        {
            if (alert.Annotations.Get(name) is { Length: > 0 } value)
            {
                html.Append(name == "summary" ? "<p><strong>" : "<p>").Append(E(value)).Append(name == "summary" ? "</strong></p>\n" : "</p>\n");
            }
        }

        html.Append("<p><small>Started ").Append(Time(alert.StartsAt));
        if (!firing && alert.EndsAt is { } ended)
        {
            html.Append(" · ended ").Append(Time(ended));
        }

        html.Append("</small></p>\n");
        if (error is not null)
        {
            html.Append("<p class=\"note bad\" role=\"alert\">").Append(E(error)).Append("</p>\n");
        }

        if (notice is not null)
        {
            html.Append("<p class=\"note\" role=\"status\">").Append(E(notice)).Append("</p>\n");
        }

        foreach (var form in forms)
        {
            AppendForm(html, alert.Id, form);
        }

        AppendOncall(html, alert, state);
        AppendPairs(html, "Labels", alert.Labels);
        AppendPairs(html, "Annotations", alert.Annotations.Where(a => !SummaryAnnotations.Contains(a.Key)).ToList());
        AppendTimeline(html, events);
        return html.ToString();
    }

    private static void AppendForm(StringBuilder html, long id, AlertPageForm form)
    {
        var field = $"by-{form.Action.Name}";
        // A relative action: the page is at {PublicUrl}/alerts/{id}, whatever path prefix the public URL has.
        html.Append("<form method=\"post\" action=\"").Append(id.ToString(CultureInfo.InvariantCulture)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"action\" value=\"").Append(E(form.Token.Action)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"exp\" value=\"").Append(form.Token.ExpiresAt.ToString(CultureInfo.InvariantCulture)).Append("\">\n")
            .Append("<input type=\"hidden\" name=\"sig\" value=\"").Append(E(form.Token.Sig)).Append("\">\n")
            .Append("<label for=\"").Append(field).Append("\">Your name</label>\n")
            .Append("<input type=\"text\" id=\"").Append(field).Append("\" name=\"by\" required maxlength=\"200\" autocomplete=\"name\">\n")
            .Append("<button type=\"submit\">").Append(E(form.Action.Button)).Append("</button>\n")
            .Append("</form>\n");
    }

    private static void AppendOncall(StringBuilder html, OccurrenceRecord alert, LinkPageState? state)
    {
        html.Append("<h2>On call</h2>\n<dl>\n<dt>Acknowledged</dt><dd>");
        if (alert.Ack is { } ack)
        {
            html.Append("by ").Append(E(ack.By)).Append(" at ").Append(Time(ack.At));
            if (state?.AckedVia is { Length: > 0 } via)
            {
                html.Append(" via ").Append(E(via));
            }

            if (ack.ExpiresAt is { } expires)
            {
                html.Append(", until ").Append(Time(expires));
            }

            if (ack.Comment is { Length: > 0 } comment)
            {
                html.Append(" (").Append(E(comment)).Append(')');
            }
        }
        else
        {
            html.Append("no");
        }

        html.Append("</dd>\n<dt>Silenced</dt><dd>");
        if (alert.Silence is { } silence)
        {
            html.Append("silence ").Append(E(silence.Id)).Append(" by ").Append(E(silence.By)).Append(" until ").Append(Time(silence.EndsAt));
        }
        else
        {
            html.Append("no");
        }

        html.Append("</dd>\n</dl>\n");
    }

    private static void AppendPairs(StringBuilder html, string title, IReadOnlyCollection<KeyValuePair<string, string>> pairs)
    {
        if (pairs.Count == 0)
        {
            return;
        }

        html.Append("<h2>").Append(title).Append("</h2>\n<dl>\n");
        foreach (var (name, value) in pairs)
        {
            html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value)).Append("</dd>\n");
        }

        html.Append("</dl>\n");
    }

    private static void AppendTimeline(StringBuilder html, IReadOnlyList<AlertEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        html.Append("<h2>Timeline</h2>\n<ol>\n");
        foreach (var e in events)
        {
            html.Append("<li><small>").Append(Time(e.At)).Append("</small> <strong>").Append(E(e.Kind)).Append("</strong>");
            if (Detail(e.DetailJson) is { Length: > 0 } detail)
            {
                html.Append(" ").Append(E(detail));
            }

            html.Append("</li>\n");
        }

        html.Append("</ol>\n");
    }

    /// <summary>An event's detail as "key: value" pairs (its non-null scalar members), or "" when it has none.</summary>
    internal static string Detail(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return "";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "";
            }

            return string.Join(", ", document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                .Select(p => $"{p.Name}: {(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));
        }
        catch (JsonException)
        {
            return "";
        }
    }
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Templates;

namespace AlertRelay.Core.Notify.Teams;

/// <summary>
/// One message to a Teams Workflows webhook (<c>msteamsv2_configs</c>): Alertmanager's Adaptive Card, field for field (a message with
/// one attachment of content type <c>application/vnd.microsoft.card.adaptive</c>, a heading coloured by status and a text block).
/// Every notification is a new card: these webhooks cannot edit a card, so a resolve is a card of its own.
/// </summary>
public sealed record TeamsCard(string Title, string Text, string Color)
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Alertmanager's colours: Attention (red) while any alert fires, Good (green) when all are resolved.</summary>
    public const string Firing = "Attention";
    public const string Resolved = "Good";

    /// <summary>The most alerts the default text lists (a Workflows message is limited to about 28 KB).</summary>
    public const int MaxListedAlerts = 20;

    private static readonly JsonSerializerOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The card for <paramref name="message"/>, or null when there is nothing to send: an on-call update (a card cannot be edited), a
    /// resolve without <c>send_resolved</c>, or no alert left. A resolve (or a digest of resolves) shows its alerts as they are; any
    /// other kind shows the alerts still firing (one resolved meanwhile is left to its own resolve).
    /// </summary>
    public static TeamsCard? For(NotificationMessage message, MsTeamsV2Config config)
    {
        var announcesResolves = message.Kind == NotificationKind.Resolved
            || (message.Kind == NotificationKind.Digest && Outbox.DigestOf(message.EscalationStep) == NotificationKind.Resolved);
        if (message.Kind == NotificationKind.Update || (announcesResolves && !config.SendResolved))
        {
            return null;
        }

        var alerts = announcesResolves ? message.Alerts : message.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
        if (alerts.Count == 0)
        {
            return null;
        }

        var sent = message with { Alerts = alerts };
        var title = config.Title is null ? DefaultTitle(sent) : TemplateRenderer.Render(config.Title, sent);
        var text = config.Text is null ? DefaultText(sent) : TemplateRenderer.Render(config.Text, sent);
        return new TeamsCard(title, text, sent.FiringCount > 0 ? Firing : Resolved);
    }

    /// <summary>AlertRelay's title with the tag a standalone message needs: <c>[FIRING:1] HighErrorRate critical</c>, <c>[ESCALATED] ...</c>, <c>[RESOLVED] ...</c>.</summary>
    public static string DefaultTitle(NotificationMessage message)
    {
        var title = NotificationText.Title(message);
        var status = NotificationText.StatusTag(message);
        return NotificationText.SubjectTag(message) + title[status.Length..];
    }

    /// <summary>Alertmanager's default text (firing, then resolved alerts, each with its labels, annotations and links) in the Markdown a card renders.</summary>
    public static string DefaultText(NotificationMessage message)
    {
        var text = new StringBuilder();
        Section(text, "Alerts Firing", message.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList());
        Section(text, "Alerts Resolved", message.Alerts.Where(a => a.Status == AlertStatus.Resolved).ToList());
        return text.ToString().TrimEnd();
    }

    private static void Section(StringBuilder text, string heading, IReadOnlyList<NotifiedOccurrence> alerts)
    {
        if (alerts.Count == 0)
        {
            return;
        }

        text.Append($"**{heading}:**\n\n");
        foreach (var alert in alerts.Take(MaxListedAlerts))
        {
            var summary = alert.Annotations.Get("summary") is { Length: > 0 } s ? s : alert.Annotations.Get("description");
            text.Append($"- **{alert.Alertname}**{(summary.Length > 0 ? " " + summary : "")} (since {NotificationText.Time(alert.StartsAt)}");
            text.Append(NotificationText.Lasted(alert) is { } lasted && alert.Status == AlertStatus.Resolved ? $", lasted {lasted})\n" : ")\n");
            text.Append("  Labels: " + string.Join(", ", alert.Labels.Select(l => $"{l.Key} = {l.Value}")) + "\n");
            var links = NotificationText.Links(alert);
            if (links.Count > 0)
            {
                text.Append("  " + string.Join(" · ", links.Select(l => $"[{l.Title}]({l.Url})")) + "\n");
            }
        }

        if (alerts.Count > MaxListedAlerts)
        {
            text.Append($"- … and {alerts.Count - MaxListedAlerts} more\n");
        }

        text.Append('\n');
    }

    /// <summary>The POST body: Alertmanager's <c>teamsMessage</c>, members in its order.</summary>
    public byte[] ToJsonUtf8()
    {
        var heading = new JsonObject
        {
            ["type"] = "TextBlock", ["text"] = Title, ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true, ["style"] = "heading", ["color"] = Color,
        };
        var body = new JsonObject { ["type"] = "TextBlock", ["text"] = Text, ["wrap"] = true };
        var content = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.2",
            ["body"] = new JsonArray(heading, body),
            ["msteams"] = new JsonObject { ["width"] = "full" },
        };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = ContentType, ["contentUrl"] = null, ["content"] = content }),
        };
        return Encoding.UTF8.GetBytes(message.ToJsonString(WriterOptions));
    }
}

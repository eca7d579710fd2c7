using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Templates;
using AlertRelay.Core.Notify.Webhook;

namespace AlertRelay.Core.Notify.PagerDuty;

/// <summary>
/// What a notification means for PagerDuty, as events (pure: tested without HTTP). An occurrence is one PagerDuty alert, keyed by
/// <see cref="PagerDutyDedupKey.Of"/>: firing, escalation and reminder notifications <c>trigger</c> it (PagerDuty deduplicates the
/// repeats), a resolve <c>resolves</c> it (with <c>send_resolved</c>), an acknowledgement in AlertRelay <c>acknowledges</c> it.
/// A storm digest is one PagerDuty alert for all its occurrences (<see cref="PagerDutyDedupKey.OfDigest"/>), resolved when the last of
/// them resolves. Other on-call updates send nothing: the Events API cannot take an acknowledgement back or silence.
/// </summary>
public static class PagerDutyEvents
{
    /// <summary>Alertmanager's limit on <c>payload.summary</c> (PagerDuty's is 1024 characters).</summary>
    public const int MaxSummaryLength = 1024;

    /// <summary>The events to send, in order; empty when the notification means nothing to PagerDuty.</summary>
    public static IReadOnlyList<PagerDutyEvent> For(NotificationMessage message, PagerDutyConfig config)
    {
        switch (message.Kind)
        {
            case NotificationKind.Update:
                return message.EscalationStep == Integrations.AcknowledgedUpdate
                    ? [.. message.Alerts.Where(a => a.Status == AlertStatus.Firing)
                        .Select(a => new PagerDutyEvent(PagerDutyEvent.Acknowledge, message.Previous?.PagerDutyDedupKey is { Length: > 0 } key ? key : PagerDutyDedupKey.Of(a)))]
                    : [];
            case NotificationKind.Resolved:
                return config.SendResolved ? Resolves(message) : [];
            case NotificationKind.Digest when Outbox.DigestOf(message.EscalationStep) == NotificationKind.Resolved:
                return config.SendResolved ? Resolves(message) : [];
            case NotificationKind.Digest:
                // Alerts resolved since the digest was queued are left to their own resolves, as for every integration.
                return message.FiringCount == 0 ? [] : [Trigger(message, config, PagerDutyDedupKey.OfDigest(message.Alerts))];
            default:
                return [.. message.Alerts.Where(a => a.Status == AlertStatus.Firing)
                    .Select(a => Trigger(message with { Alerts = [a] }, config, PagerDutyDedupKey.Of(a)))];
        }
    }

    /// <summary>
    /// Resolves: each resolved alert's own PagerDuty alert, unless a digest announced it; a digest's alert once every alert it announced
    /// is resolved.
    /// </summary>
    private static List<PagerDutyEvent> Resolves(NotificationMessage message)
    {
        var keys = new List<string>();
        var inDigest = new HashSet<long>();
        foreach (var announcement in message.Announcements.Where(a => a.Kind == NotificationKind.Digest))
        {
            inDigest.UnionWith(announcement.Resolved.Select(a => a.Id));
            if (announcement.Alerts.All(a => a.Status == AlertStatus.Resolved))
            {
                keys.Add(announcement.Delivery.PagerDutyDedupKey ?? PagerDutyDedupKey.OfDigest(announcement.Alerts));
            }
        }

        keys.AddRange(message.Alerts.Where(a => a.Status == AlertStatus.Resolved && !inDigest.Contains(a.Id)).Select(PagerDutyDedupKey.Of));
        return [.. keys.Distinct(StringComparer.Ordinal).Select(k => new PagerDutyEvent(PagerDutyEvent.Resolve, k))];
    }

    private static PagerDutyEvent Trigger(NotificationMessage message, PagerDutyConfig config, string dedupKey)
    {
        string Render(string? template) => template is null ? "" : TemplateRenderer.Render(template, message).Trim();

        var client = Render(config.Client);
        var summary = config.Description is null ? NotificationText.Title(message) : Render(config.Description);
        var source = config.Source is null ? client : Render(config.Source);
        return new PagerDutyEvent(PagerDutyEvent.Trigger, dedupKey)
        {
            Summary = Truncate(summary.Length == 0 ? NotificationText.Title(message) : summary),
            Source = source.Length > 0 ? source : "AlertRelay",
            Severity = Severity(Render(config.Severity)),
            Timestamp = message.Alerts.Count == 1 ? GoJson.Time(message.Alerts[0].StartsAt) : null,
            Class = Render(config.Class),
            Component = Render(config.Component),
            Group = Render(config.Group),
            CustomDetails = Details(message, config, Render),
            Client = client,
            ClientUrl = Render(config.ClientUrl),
            Images = [.. config.Images.Select(i => new PagerDutyImage(Render(i.Src), Render(i.Alt), Render(i.Href))).Where(i => i.Src.Length > 0)],
            Links = [.. config.Links.Select(l => new PagerDutyLink(Render(l.Href), Render(l.Text))).Where(l => l.Href.Length > 0)],
        };
    }

    /// <summary>A severity PagerDuty accepts: the rendered one (case-insensitive), else <see cref="PagerDutyConfig.DefaultSeverity"/> rather than a refused page.</summary>
    public static string Severity(string rendered)
    {
        var severity = rendered.Trim().ToLowerInvariant();
        return PagerDutyConfig.Severities.Contains(severity) ? severity : PagerDutyConfig.DefaultSeverity;
    }

    /// <summary>
    /// Alertmanager's default details (<c>firing</c> and <c>resolved</c>: the alerts as in a webhook message; <c>num_firing</c>,
    /// <c>num_resolved</c>), then the configured <c>details</c>: a rendered value that is a JSON object or array is sent as JSON, as
    /// Alertmanager does, any other as text.
    /// </summary>
    private static JsonObject Details(NotificationMessage message, PagerDutyConfig config, Func<string?, string> render)
    {
        var firing = message.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
        var resolved = message.Alerts.Where(a => a.Status == AlertStatus.Resolved).ToList();
        var details = new JsonObject
        {
            ["firing"] = new JsonArray([.. firing.Select(AlertJson)]),
            ["num_firing"] = firing.Count,
            ["num_resolved"] = resolved.Count,
            ["resolved"] = new JsonArray([.. resolved.Select(AlertJson)]),
        };
        foreach (var (name, template) in config.Details)
        {
            details[name] = DetailValue(render(template));
        }

        return details;
    }

    private static JsonNode? DetailValue(string text)
    {
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all: sent as text.
            }
        }

        return JsonValue.Create(text);
    }

    private static JsonObject AlertJson(NotifiedOccurrence alert) => new()
    {
        ["status"] = alert.Status.ToText(),
        ["labels"] = Labels(alert.Labels),
        ["annotations"] = Labels(alert.Annotations),
        ["startsAt"] = GoJson.Time(alert.StartsAt),
        ["endsAt"] = alert.Status == AlertStatus.Resolved && alert.EndsAt is { } endsAt ? GoJson.Time(endsAt) : GoJson.ZeroTime,
        ["generatorURL"] = alert.GeneratorUrl,
        ["fingerprint"] = alert.Fingerprint.ToString(),
    };

    private static JsonObject Labels(LabelSet labels)
    {
        var json = new JsonObject();
        foreach (var (name, value) in labels)
        {
            json[name] = value;
        }

        return json;
    }

    private static string Truncate(string text) => text.Length <= MaxSummaryLength ? text : text[..(MaxSummaryLength - 1)] + "…";
}

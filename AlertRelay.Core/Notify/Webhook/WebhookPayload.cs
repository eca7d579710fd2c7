using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify.Webhook;

/// <summary>
/// One POST body of a <c>webhook_configs</c> entry: Alertmanager's webhook message, version 4 (<c>notify/webhook</c> with
/// <c>template.Data</c>), field for field. AlertRelay notifies per alert, which is Alertmanager grouping by every label
/// (<c>group_by: ['...']</c>): <see cref="GroupLabels"/> are the labels all of the notification's alerts share (the whole label set for
/// one alert) and <see cref="GroupKey"/> is <c>{}:</c> followed by them, as Alertmanager's root route writes it; so a firing, its
/// escalations, reminders and its resolve carry the same key, and a digest and the digest of its resolves too.
/// </summary>
public sealed record WebhookPayload(
    string Receiver,
    AlertStatus Status,
    IReadOnlyList<NotifiedOccurrence> Alerts,
    LabelSet GroupLabels,
    LabelSet CommonLabels,
    LabelSet CommonAnnotations,
    string ExternalUrl,
    string GroupKey,
    int TruncatedAlerts)
{
    public const string Version = "4";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body for <paramref name="message"/> sent to <paramref name="config"/>, or null when there is nothing to send: an
    /// <see cref="NotificationKind.Update"/> (a webhook cannot edit what it sent), or no alert left to send. A resolve (or a digest of
    /// resolves) sends its alerts as they are, when <c>send_resolved</c>; any other kind sends the alerts still firing. Then the first
    /// <c>max_alerts</c> are kept (as Alertmanager's <c>truncateAlerts</c>); status and common labels describe the alerts sent, the
    /// group labels all of the notification's alerts.
    /// </summary>
    public static WebhookPayload? For(NotificationMessage message, WebhookConfig config)
    {
        if (message.Kind == NotificationKind.Update)
        {
            return null;
        }

        // A notification announcing firing alerts is rendered when it is sent: an alert resolved meanwhile is left to its own resolve
        // (queued for this integration with send_resolved, sent after this one), so that the receiver is not told twice.
        var announcesResolves = message.Kind == NotificationKind.Resolved
            || (message.Kind == NotificationKind.Digest && Outbox.DigestOf(message.EscalationStep) == NotificationKind.Resolved);
        var alerts = config.SendResolved && announcesResolves ? message.Alerts : message.Alerts.Where(a => a.Status == AlertStatus.Firing).ToList();
        if (alerts.Count == 0)
        {
            return null;
        }

        var truncated = config.MaxAlerts > 0 && alerts.Count > config.MaxAlerts ? alerts.Count - config.MaxAlerts : 0;
        var sent = truncated > 0 ? alerts.Take(config.MaxAlerts).ToList() : alerts;
        var groupLabels = Common(message.Alerts.Select(a => a.Labels));
        return new WebhookPayload(
            GoJson.QuoteMeta(message.Receiver),
            sent.Any(a => a.Status == AlertStatus.Firing) ? AlertStatus.Firing : AlertStatus.Resolved,
            sent,
            groupLabels,
            Common(sent.Select(a => a.Labels)),
            Common(sent.Select(a => a.Annotations)),
            message.ExternalUrl,
            "{}:" + groupLabels,
            truncated);
    }

    /// <summary>The pairs every set has (template.Data's CommonLabels / CommonAnnotations); empty for no sets.</summary>
    public static LabelSet Common(IEnumerable<LabelSet> sets)
    {
        Dictionary<string, string>? common = null;
        foreach (var set in sets)
        {
            if (common is null)
            {
                common = set.ToDictionary(StringComparer.Ordinal);
                continue;
            }

            foreach (var (name, value) in common.ToList())
            {
                if (!set.TryGetValue(name, out var other) || other != value)
                {
                    common.Remove(name);
                }
            }
        }

        return common is null ? LabelSet.Empty : LabelSet.FromDistinct(common);
    }

    /// <summary>The JSON body, members in Alertmanager's order.</summary>
    public byte[] ToJsonUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("receiver", Receiver);
            writer.WriteString("status", Status.ToText());
            writer.WriteStartArray("alerts");
            foreach (var alert in Alerts)
            {
                WriteAlert(writer, alert);
            }

            writer.WriteEndArray();
            WriteLabels(writer, "groupLabels", GroupLabels);
            WriteLabels(writer, "commonLabels", CommonLabels);
            WriteLabels(writer, "commonAnnotations", CommonAnnotations);
            writer.WriteString("externalURL", ExternalUrl);
            writer.WriteString("version", Version);
            writer.WriteString("groupKey", GroupKey);
            writer.WriteNumber("truncatedAlerts", TruncatedAlerts);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteAlert(Utf8JsonWriter writer, NotifiedOccurrence alert)
    {
        writer.WriteStartObject();
        writer.WriteString("status", alert.Status.ToText());
        WriteLabels(writer, "labels", alert.Labels);
        WriteLabels(writer, "annotations", alert.Annotations);
        writer.WriteString("startsAt", GoJson.Time(alert.StartsAt));
        // Alertmanager sends Go's zero time while an alert fires.
        writer.WriteString("endsAt", alert.Status == AlertStatus.Resolved && alert.EndsAt is { } endsAt ? GoJson.Time(endsAt) : GoJson.ZeroTime);
        writer.WriteString("generatorURL", alert.GeneratorUrl);
        writer.WriteString("fingerprint", alert.Fingerprint.ToString());
        writer.WriteEndObject();
    }

    private static void WriteLabels(Utf8JsonWriter writer, string name, LabelSet labels)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in labels)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify.Email;

/// <summary>Notifications and configs for the e-mail tests: a HighErrorRate alert firing, resolved and escalated, and digests.</summary>
public static class EmailSamples
{
    public static readonly DateTimeOffset StartsAt = new(2026, 11, 25, 13, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Now = new(2026, 11, 25, 13, 20, 0, TimeSpan.Zero);

    public static NotifiedOccurrence Alert(
        AlertStatus status = AlertStatus.Firing, LabelSet? labels = null, LabelSet? annotations = null, long id = 7)
    {
        labels ??= LabelSet.From(("alertname", "HighErrorRate"), ("severity", "critical"), ("instance", "web-1:9090"), ("job", "shop-api"));
        annotations ??= LabelSet.From(
            ("summary", "Error rate above 5% on web-1"),
            ("description", "5xx responses are 7.2% of all requests over 5m."),
            ("runbook_url", "https://runbooks.example.com/HighErrorRate"),
            ("dashboard", "https://grafana.example.com/d/shop/overview"));
        return new NotifiedOccurrence(
            id,
            Fingerprint.Of(labels),
            status,
            labels,
            annotations,
            labels.Get("severity"),
            StartsAt,
            status == AlertStatus.Resolved ? StartsAt.AddMinutes(12) : null,
            "http://prometheus.example.com/graph?g0.expr=rate%28http_errors_total%5B5m%5D%29");
    }

    public static NotificationMessage Firing(NotifiedOccurrence? alert = null, long notificationId = 41) =>
        new(notificationId, "team-email", NotificationKind.Firing, [alert ?? Alert()], null) { ExternalUrl = "http://alertmanager.example.com" };

    public static NotificationMessage Resolved(string? previousMessageId, long notificationId = 42) =>
        new(notificationId, "team-email", NotificationKind.Resolved, [Alert(AlertStatus.Resolved)],
            previousMessageId is null ? null : new DeliveryRef(EmailMessageId: previousMessageId)) { ExternalUrl = "http://alertmanager.example.com" };

    public static NotificationMessage Escalation(string? previousMessageId, long notificationId = 43) =>
        new(notificationId, "lead-email", NotificationKind.Escalation, [Alert()],
            previousMessageId is null ? null : new DeliveryRef(EmailMessageId: previousMessageId))
        {
            EscalationStep = "critical-unacknowledged step 1",
        };

    /// <summary>A digest of <paramref name="firing"/> firing and <paramref name="resolved"/> resolved alerts (instances web-0, web-1 ...).</summary>
    public static NotificationMessage Digest(int firing, int resolved = 0, long notificationId = 44) =>
        new(notificationId, "team-email", NotificationKind.Digest,
            Enumerable.Range(0, firing + resolved)
                .Select(i => Alert(
                    i < firing ? AlertStatus.Firing : AlertStatus.Resolved,
                    LabelSet.From(("alertname", "InstanceDown"), ("severity", "warning"), ("instance", $"web-{i}")),
                    LabelSet.From(("summary", $"web-{i} is down")),
                    id: 100 + i))
                .ToList(),
            null);

    /// <summary>A config for a sink without TLS (require_tls false).</summary>
    public static EmailConfig Config(string smarthost, string to = "oncall@example.com") => new()
    {
        To = to,
        From = "AlertRelay <alertrelay@relay.example.com>",
        Smarthost = smarthost,
        RequireTls = false,
    };

    public static IReadOnlyDictionary<string, object?> NoGlobal { get; } = new Dictionary<string, object?>();
}

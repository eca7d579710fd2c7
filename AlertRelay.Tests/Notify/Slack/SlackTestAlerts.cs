using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify.Slack;

/// <summary>Alerts and notifications for the Slack tests.</summary>
internal static class SlackTestAlerts
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 22, 32, 30, TimeSpan.Zero);

    public const string GeneratorUrl = "http://prometheus:9090/graph?g0.expr=rate%28errors%5B5m%5D%29+%3E+0.05";

    public static NotifiedOccurrence Alert(
        string name = "HighErrorRate",
        string severity = "critical",
        AlertStatus status = AlertStatus.Firing,
        (string Name, string Value)[]? labels = null,
        (string Name, string Value)[]? annotations = null,
        string generatorUrl = GeneratorUrl,
        long id = 1)
    {
        var labelSet = LabelSet.From([("alertname", name), ("severity", severity), ("instance", "web-1:8080"), ("job", "shop"), .. labels ?? []]);
        var annotationSet = LabelSet.From(annotations ?? [("summary", "Error rate is 7.5%"), ("description", "5xx responses above 5% for 5 minutes.")]);
        return new NotifiedOccurrence(
            id, Fingerprint.Of(labelSet), status, labelSet, annotationSet, severity, Start,
            status == AlertStatus.Resolved ? Start.AddMinutes(12) : null, generatorUrl);
    }

    public static NotificationMessage Message(NotificationKind kind, params NotifiedOccurrence[] alerts) =>
        new(42, "oncall", kind, alerts, null);

    public static NotificationMessage Firing() => Message(NotificationKind.Firing, Alert());

    public static NotificationMessage Resolved(DeliveryRef? previous = null) =>
        new(43, "oncall", NotificationKind.Resolved, [Alert(status: AlertStatus.Resolved)], previous);

    public static NotifiedOccurrence[] Many(int count) =>
        [.. Enumerable.Range(0, count).Select(i => Alert(
            name: $"Alert{i:D2}", severity: i % 3 == 0 ? "critical" : "warning", labels: [("instance", $"web-{i}:8080")],
            annotations: [("summary", $"Summary of alert {i}")], id: i + 1))];
}

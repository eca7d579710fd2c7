using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Webhook;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Notify.Webhook;

/// <summary>Alerts and notifications for the webhook tests: the alerts of the captured Alertmanager bodies, or made up.</summary>
internal static class WebhookTestAlerts
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);

    /// <summary>
    /// A notification to receiver "relay" about the alerts of a captured body, as the store would give them back; by default a digest
    /// of resolves, which sends its alerts as they are (firing ones included), as Alertmanager sends a group.
    /// </summary>
    public static NotificationMessage FromFixture(string fixture, NotificationKind kind = NotificationKind.Digest)
    {
        var parsed = WebhookParser.Parse(Fixtures.Bytes(fixture)).Message!;
        var alerts = parsed.Alerts.Select((a, i) => new NotifiedOccurrence(
            i + 1, a.Fingerprint, a.Status, a.Labels, a.Annotations, a.Labels.Get("severity"), a.StartsAt, a.EndsAt, a.GeneratorUrl)).ToList();
        return new NotificationMessage(7, "relay", kind, alerts, null)
        {
            ExternalUrl = parsed.ExternalUrl,
            EscalationStep = kind == NotificationKind.Digest ? Outbox.DigestDetail(alerts.Count, NotificationKind.Resolved) : null,
        };
    }

    public static NotifiedOccurrence Alert(int i, AlertStatus status = AlertStatus.Firing, string name = "HighErrorRate")
    {
        var labels = LabelSet.From(("alertname", name), ("instance", $"web-{i}:8080"), ("severity", "critical"));
        var annotations = LabelSet.From(("summary", "Error rate is high"), ("runbook", $"https://runbooks.example.com/{i}"));
        return new NotifiedOccurrence(
            i, Fingerprint.Of(labels), status, labels, annotations, "critical", Start.AddSeconds(i),
            status == AlertStatus.Resolved ? Start.AddMinutes(12) : null, "http://prometheus:9090/graph?g0.expr=up");
    }

    public static NotificationMessage Message(NotificationKind kind, params NotifiedOccurrence[] alerts) =>
        new(42, "oncall", kind, alerts, null) { ExternalUrl = "http://alertmanager:9093" };

    public static JsonObject Json(WebhookPayload payload) => (JsonObject)JsonNode.Parse(payload.ToJsonUtf8())!;

    public static WebhookConfig Config(string url = "http://127.0.0.1:1/hook") => new() { Url = url };
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>An occurrence of a notification as either outbox store selects it (labels and annotations as JSON text).</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class NotifiedOccurrenceRow : OncallStateRow
{
    public long Id { get; set; }

    public long Fingerprint { get; set; }

    public string Status { get; set; } = "";

    public string Labels { get; set; } = "{}";

    public string Annotations { get; set; } = "{}";

    public string Severity { get; set; } = "";

    public long StartsAtMs { get; set; }

    public long? EndsAtMs { get; set; }

    public string GeneratorUrl { get; set; } = "";

    /// <summary>The notification it was selected for, and the external URL it was received with: set by the batched read only.</summary>
    public long NotificationId { get; set; }

    public string? ExternalUrl { get; set; }

    public NotifiedOccurrence ToOccurrence() => new(
        Id, Alerts.Fingerprint.FromInt64(Fingerprint), Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
        LabelSet.FromJson(Labels), LabelSet.FromJson(Annotations), Severity, UnixMillis.ToDateTimeOffset(StartsAtMs),
        EndsAtMs is { } ends ? UnixMillis.ToDateTimeOffset(ends) : null, GeneratorUrl)
    {
        Acknowledgement = Acknowledged() is { } ack ? new Escalation.Acknowledgement(ack.By, ack.Comment, ack.At, ack.ExpiresAt) : null,
        Silence = Silenced(),
    };
}

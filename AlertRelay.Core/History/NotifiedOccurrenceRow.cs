using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>An occurrence of a notification as either outbox store selects it (labels and annotations as JSON text).</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class NotifiedOccurrenceRow
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

    public string? AckedBy { get; set; }

    public string? AckComment { get; set; }

    public long? AckedAtMs { get; set; }

    public long? AckExpiresAtMs { get; set; }

    public string? SilenceId { get; set; }

    public string? SilencedBy { get; set; }

    public long? SilenceEndsAtMs { get; set; }

    /// <summary>The columns this row reads after the occurrence's own (an <c>alert_occurrences o</c> in the query).</summary>
    public const string OncallColumns =
        "o.acked_by AS AckedBy, o.ack_comment AS AckComment, o.acked_at_ms AS AckedAtMs, o.ack_expires_at_ms AS AckExpiresAtMs, "
        + "o.silence_id AS SilenceId, o.silenced_by AS SilencedBy, o.silence_ends_at_ms AS SilenceEndsAtMs";

    public NotifiedOccurrence ToOccurrence() => new(
        Id, Alerts.Fingerprint.FromInt64(Fingerprint), Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
        LabelSet.FromJson(Labels), LabelSet.FromJson(Annotations), Severity, UnixMillis.ToDateTimeOffset(StartsAtMs),
        EndsAtMs is { } ends ? UnixMillis.ToDateTimeOffset(ends) : null, GeneratorUrl)
    {
        Acknowledgement = AckedBy is { } by && AckedAtMs is { } at
            ? new Escalation.Acknowledgement(by, AckComment, UnixMillis.ToDateTimeOffset(at), AckExpiresAtMs is { } x ? UnixMillis.ToDateTimeOffset(x) : null)
            : null,
        Silence = SilenceId is { } silence && SilenceEndsAtMs is { } until
            ? new Oncall.ActiveSilence(silence, SilencedBy ?? "", UnixMillis.ToDateTimeOffset(until))
            : null,
    };
}

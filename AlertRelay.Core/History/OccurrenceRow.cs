using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>An <c>alert_occurrences</c> row as the alert queries of either engine select it (labels and annotations as JSON text).</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class OccurrenceRow : OncallStateRow
{
    public long Id { get; set; }

    public long Fingerprint { get; set; }

    public string Status { get; set; } = "";

    public string Labels { get; set; } = "{}";

    public string Annotations { get; set; } = "{}";

    public long StartsAtMs { get; set; }

    public long? EndsAtMs { get; set; }

    public string GeneratorUrl { get; set; } = "";

    public string Receiver { get; set; } = "";

    public string GroupKey { get; set; } = "";

    public string ExternalUrl { get; set; } = "";

    public long ReceivedAtMs { get; set; }

    public long UpdatedAtMs { get; set; }

    public string Severity { get; set; } = "";

    public string Receivers { get; set; } = "[]";

    public long? InhibitedBy { get; set; }

    /// <summary>The record; <paramref name="storedText"/> is what the engine's text columns hold for a value, when not the value itself.</summary>
    /// <remarks>
    /// With <paramref name="storedText"/> (PostgreSQL: <c>PostgresText.Storable</c>, U+FFFD for U+0000), a severity column holding
    /// the stored form of the severity label is read as the label, which has it exactly.
    /// </remarks>
    public OccurrenceRecord ToRecord(Func<string, string>? storedText = null)
    {
        var labels = LabelSet.FromJson(Labels);
        var severityLabel = labels.Get("severity");
        return new(
            Id,
            Alerts.Fingerprint.FromInt64(Fingerprint),
            Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
            labels,
            LabelSet.FromJson(Annotations),
            UnixMillis.ToDateTimeOffset(StartsAtMs),
            EndsAtMs is { } ends ? UnixMillis.ToDateTimeOffset(ends) : null,
            GeneratorUrl,
            Receiver,
            GroupKey,
            ExternalUrl,
            UnixMillis.ToDateTimeOffset(ReceivedAtMs),
            UnixMillis.ToDateTimeOffset(UpdatedAtMs))
        {
            Severity = storedText is not null && Severity == storedText(severityLabel) ? severityLabel : Severity,
            Receivers = System.Text.Json.JsonSerializer.Deserialize<string[]>(Receivers) ?? [],
            InhibitedBy = InhibitedBy,
            Ack = Acknowledged() is { } ack ? new AlertAck(ack.By, ack.Comment, ack.At, ack.ExpiresAt) : null,
            Silence = Silenced(),
        };
    }
}

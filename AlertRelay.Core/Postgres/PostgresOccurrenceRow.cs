using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;

namespace AlertRelay.Core.Postgres;

/// <summary>An <c>alert_occurrences</c> row as <see cref="PostgresAlertQueries"/> selects it (jsonb columns as text).</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class PostgresOccurrenceRow
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

    public string? AckedBy { get; set; }

    public string? AckComment { get; set; }

    public long? AckedAtMs { get; set; }

    public long? AckExpiresAtMs { get; set; }

    public OccurrenceRecord ToRecord() => new(
        Id,
        Alerts.Fingerprint.FromInt64(Fingerprint),
        Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
        LabelSet.FromJson(Labels),
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
        Severity = Severity,
        Receivers = System.Text.Json.JsonSerializer.Deserialize<string[]>(Receivers) ?? [],
        InhibitedBy = InhibitedBy,
        Ack = AckedBy is null
            ? null
            : new AlertAck(AckedBy, AckComment, UnixMillis.ToDateTimeOffset(AckedAtMs ?? 0),
                AckExpiresAtMs is { } expires ? UnixMillis.ToDateTimeOffset(expires) : null),
    };
}

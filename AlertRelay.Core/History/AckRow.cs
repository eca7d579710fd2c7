using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>An occurrence's acknowledgement state as either store reads it before changing it.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class AckRow
{
    public long Id { get; set; }

    public string Status { get; set; } = "";

    public string? AckedBy { get; set; }

    public long? AckExpiresAtMs { get; set; }

    /// <summary>Why an acknowledgement is not recorded (null: record it): no such occurrence, resolved, or (without replace) held already.</summary>
    public static AckOutcome? RefuseAcknowledge(AckRow? row, bool replace, long nowMs) =>
        row is null ? AckOutcome.NotFound
        : row.Status == AlertStatusText.Resolved ? AckOutcome.AlreadyResolved
        : !replace && row.AckedBy is not null && (row.AckExpiresAtMs is not { } expires || expires > nowMs) ? AckOutcome.AlreadyAcknowledged
        : null;
}

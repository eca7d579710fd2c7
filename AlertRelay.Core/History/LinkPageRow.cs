using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>The on-call columns of an occurrence the alert page shows, as either engine selects them.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class LinkPageRow
{
    public const string Select =
        "SELECT acked_via AS AckedVia, silence_id AS SilenceId, silenced_by AS SilencedBy, silence_ends_at_ms AS SilenceEndsAtMs "
        + "FROM alert_occurrences WHERE id = @Id";

    public string? AckedVia { get; set; }

    public string? SilenceId { get; set; }

    public string? SilencedBy { get; set; }

    public long? SilenceEndsAtMs { get; set; }

    public LinkPageState ToState() => new(
        AckedVia,
        SilenceId is { } id && SilenceEndsAtMs is { } until ? new ActiveSilence(id, SilencedBy ?? "", UnixMillis.ToDateTimeOffset(until)) : null);
}

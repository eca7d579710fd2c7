using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>
/// The acknowledgement and silence columns of <c>alert_occurrences</c>, shared by the rows that read them (the alert API's and
/// the notification's), on either engine.
/// </summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal abstract class OncallStateRow
{
    /// <summary>These columns, selected from an <c>alert_occurrences o</c>.</summary>
    public const string Columns =
        "o.acked_by AS AckedBy, o.ack_comment AS AckComment, o.acked_at_ms AS AckedAtMs, o.ack_expires_at_ms AS AckExpiresAtMs, "
        + "o.silence_id AS SilenceId, o.silenced_by AS SilencedBy, o.silence_ends_at_ms AS SilenceEndsAtMs";

    public string? AckedBy { get; set; }

    public string? AckComment { get; set; }

    public long? AckedAtMs { get; set; }

    public long? AckExpiresAtMs { get; set; }

    public string? SilenceId { get; set; }

    public string? SilencedBy { get; set; }

    public long? SilenceEndsAtMs { get; set; }

    /// <summary>The acknowledgement, when there is one.</summary>
    protected (string By, string? Comment, DateTimeOffset At, DateTimeOffset? ExpiresAt)? Acknowledged() =>
        AckedBy is { } by
            ? (by, AckComment, UnixMillis.ToDateTimeOffset(AckedAtMs ?? 0), AckExpiresAtMs is { } expires ? UnixMillis.ToDateTimeOffset(expires) : null)
            : null;

    /// <summary>The silence: only <c>silence_id</c> makes one (while it is NULL the other columns may hold a claim, see ISilenceStore).</summary>
    protected ActiveSilence? Silenced() =>
        SilenceId is { } silence && SilenceEndsAtMs is { } until ? new ActiveSilence(silence, SilencedBy ?? "", UnixMillis.ToDateTimeOffset(until)) : null;
}

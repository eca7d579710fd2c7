using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>An occurrence's silence slot as either store reads it before changing it.</summary>
// A class with setters: Dapper types a NULL column from its value, which a constructor cannot take.
internal sealed class SilenceRow
{
    public const string SqliteColumns =
        "id AS Id, status AS Status, labels AS Labels, silence_id AS SilenceId, silenced_by AS SilencedBy, silence_ends_at_ms AS SilenceEndsAtMs";

    public long Id { get; set; }

    public string Status { get; set; } = "";

    public string Labels { get; set; } = "{}";

    public string? SilenceId { get; set; }

    /// <summary>Who silenced it; while <see cref="SilenceId"/> is NULL, the claim of a request creating the silence.</summary>
    public string? SilencedBy { get; set; }

    /// <summary>When the silence ends; while <see cref="SilenceId"/> is NULL, when the claim lapses.</summary>
    public long? SilenceEndsAtMs { get; set; }

    public ActiveSilence? Silence => SilenceId is { } id
        ? new ActiveSilence(id, SilencedBy ?? "", UnixMillis.ToDateTimeOffset(SilenceEndsAtMs ?? 0))
        : null;

    /// <summary>Whether a silence slot can be claimed now, and if not why (a table-tested decision shared by both engines).</summary>
    public static SilenceClaimOutcome Decide(SilenceRow? row, long nowMs) =>
        row is null ? SilenceClaimOutcome.NotFound
        : row.SilenceId is not null && row.SilenceEndsAtMs > nowMs ? SilenceClaimOutcome.AlreadySilenced
        : row.Status == AlertStatusText.Resolved ? SilenceClaimOutcome.AlreadyResolved
        : row.SilenceId is null && row.SilencedBy is not null && row.SilenceEndsAtMs > nowMs ? SilenceClaimOutcome.Busy
        : SilenceClaimOutcome.Claimed;

    public SilenceClaim Claim(SilenceClaimOutcome outcome) =>
        new(outcome, outcome == SilenceClaimOutcome.Claimed ? LabelSet.FromJson(Labels) : LabelSet.Empty, outcome == SilenceClaimOutcome.AlreadySilenced ? Silence : null);
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>
/// What the hourly rollup (<c>alert_stats_hourly</c>) counts of one occurrence row: the hour of its startsAt, its status and
/// severity, and its time to resolve (<c>ends_at_ms - starts_at_ms</c>, resolved rows only), exactly as stored.
/// </summary>
internal readonly record struct StatsFacts(long StartsAtMs, string Status, string Severity, long? EndsAtMs)
{
    /// <summary>The rollup's bucket: <c>starts_at_ms / 3600000</c>, integer division truncating as on both engines.</summary>
    public long Hour => StartsAtMs / StatsRollup.HourMs;

    /// <summary>What the row adds to <c>resolve_ms_sum</c> (the migrations' <c>coalesce(ends_at_ms - starts_at_ms, 0)</c> when resolved).</summary>
    public long ResolveMs => Status == AlertStatusText.Resolved && EndsAtMs is { } ends ? ends - StartsAtMs : 0;
}

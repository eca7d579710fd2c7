namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// A named time interval (Alertmanager's <c>time_intervals[]</c> entry): active while any of its
/// <see cref="Periods"/> contains the instant. SEAM: the helper for time intervals fills this in.
/// </summary>
public sealed record TimeInterval(string Name, IReadOnlyList<TimePeriod> Periods)
{
    /// <summary>Whether the interval is active at <paramref name="instant"/>.</summary>
    public bool ContainsTime(DateTimeOffset instant) => Periods.Any(p => p.ContainsTime(instant));
}

namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// A named time interval (an entry of Alertmanager's top-level <c>time_intervals</c> or <c>mute_time_intervals</c>):
/// active while any of its <see cref="Periods"/> contains the instant; with no periods it is never active.
/// </summary>
public sealed record TimeInterval(string Name, IReadOnlyList<TimePeriod> Periods)
{
    /// <summary>Whether the interval is active at <paramref name="instant"/>.</summary>
    public bool ContainsTime(DateTimeOffset instant)
    {
        foreach (var period in Periods)
        {
            if (period.ContainsTime(instant))
            {
                return true;
            }
        }

        return false;
    }
}

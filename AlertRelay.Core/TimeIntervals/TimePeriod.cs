namespace AlertRelay.Core.TimeIntervals;

/// <summary>One entry of a time interval's <c>time_intervals</c> list (times, weekdays, days of month, months, years, location). SEAM.</summary>
public sealed record TimePeriod
{
    /// <summary>Whether <paramref name="instant"/> falls in this period.</summary>
    public bool ContainsTime(DateTimeOffset instant) => true;
}

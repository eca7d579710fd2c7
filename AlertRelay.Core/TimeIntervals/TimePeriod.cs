using NodaTime;

namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// One entry of a time interval's <c>time_intervals</c> list, Alertmanager's <c>timeinterval.TimeInterval</c>: the instant,
/// seen in <see cref="Location"/> (UTC when absent), must fall in every field that is set. A field left out (null) allows
/// anything; a field set to an empty list allows nothing, as in Alertmanager (a non-nil empty slice matches no value).
/// </summary>
public sealed record TimePeriod
{
    /// <summary><c>times</c>: minutes of the day, start included, end excluded.</summary>
    public IReadOnlyList<TimeRange>? Times { get; init; }

    /// <summary><c>weekdays</c>: 0 is Sunday .. 6 Saturday, as Go's <c>time.Weekday</c>.</summary>
    public IReadOnlyList<InclusiveRange>? Weekdays { get; init; }

    /// <summary><c>days_of_month</c>: 1..31, or -1 (last day) .. -31 counted from the end of the month.</summary>
    public IReadOnlyList<InclusiveRange>? DaysOfMonth { get; init; }

    /// <summary><c>months</c>: 1 is January .. 12 December.</summary>
    public IReadOnlyList<InclusiveRange>? Months { get; init; }

    /// <summary><c>years</c>.</summary>
    public IReadOnlyList<InclusiveRange>? Years { get; init; }

    /// <summary><c>location</c>: the zone the instant is read in; null is UTC.</summary>
    public DateTimeZone? Location { get; init; }

    /// <summary>Whether <paramref name="instant"/> falls in this period (Alertmanager's <c>ContainsTime</c>).</summary>
    public bool ContainsTime(DateTimeOffset instant)
    {
        var local = Instant.FromDateTimeOffset(instant).InZone(Location ?? DateTimeZone.Utc).LocalDateTime;
        return In(Times, r => r.Contains(local.Hour * 60 + local.Minute))
            && In(DaysOfMonth, r => DayOfMonthContains(r, local.Date))
            && In(Months, r => r.Contains(local.Month))
            && In(Weekdays, r => r.Contains((int)local.DayOfWeek % 7)) // NodaTime: Monday 1 .. Sunday 7; Go: Sunday 0
            && In(Years, r => r.Contains(local.Year));
    }

    private static bool In<T>(IReadOnlyList<T>? ranges, Func<T, bool> contains)
    {
        if (ranges is null)
        {
            return true;
        }

        foreach (var range in ranges)
        {
            if (contains(range))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Negative days count from the end of the month, then both ends are clamped to the month's length, exactly as
    /// Alertmanager does; a begin after the month's end never matches. The month's length is calendar arithmetic on the
    /// local date, so a month with a daylight saving change keeps its length (Alertmanager's fix for negative days across
    /// DST, commit 68fb2d5, after 0.25: 0.25 counted 30 days in a 31-day spring-forward month).
    /// </summary>
    private static bool DayOfMonthContains(InclusiveRange range, LocalDate date)
    {
        var days = date.Calendar.GetDaysInMonth(date.Year, date.Month);
        var begin = range.Begin < 0 ? days + range.Begin + 1 : range.Begin;
        var end = range.End < 0 ? days + range.End + 1 : range.End;
        if (begin > days)
        {
            return false;
        }

        begin = Math.Clamp(begin, -days, days);
        end = Math.Clamp(end, -days, days);
        return date.Day >= begin && date.Day <= end;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;

namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// Parses the values of a <see cref="TimePeriod"/>'s fields as Alertmanager's <c>timeinterval</c> package does (same
/// rules, same messages). Each method returns the error, or null and the value.
/// </summary>
public static partial class TimePeriodParser
{
    private static readonly string[] WeekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    /// <summary>A <c>times</c> entry: both ends "HH:MM" (24:00 allowed), start before end.</summary>
    public static string? ParseTimeRange(string? startTime, string? endTime, out TimeRange range)
    {
        range = default;
        if (string.IsNullOrEmpty(startTime) || string.IsNullOrEmpty(endTime))
        {
            return "both start and end times must be provided";
        }

        if (ParseTime(startTime, out var start) is { } startError)
        {
            return startError;
        }

        if (ParseTime(endTime, out var end) is { } endError)
        {
            return endError;
        }

        if (start >= end)
        {
            return "start time cannot be equal or greater than end time";
        }

        range = new TimeRange(start, end);
        return null;
    }

    /// <summary>"HH:MM" (00:00 to 23:59, or 24:00) as minutes of the day.</summary>
    public static string? ParseTime(string text, out int minutes)
    {
        minutes = 0;
        if (!TimeSyntax().IsMatch(text))
        {
            return $"couldn't parse timestamp {text}, invalid format";
        }

        minutes = int.Parse(text[..2], CultureInfo.InvariantCulture) * 60 + int.Parse(text[3..], CultureInfo.InvariantCulture);
        return null;
    }

    /// <summary>A <c>weekdays</c> entry: a name or "monday:friday" (any case); numbers are refused.</summary>
    public static string? ParseWeekdays(string text, out InclusiveRange range)
    {
        if (ParseRange(text, Weekday, out range) is { } error)
        {
            return error;
        }

        if (range.Begin > range.End)
        {
            return "start day cannot be before end day";
        }

        return null; // names only: always 0..6
    }

    /// <summary>A <c>days_of_month</c> entry: 1..31 or -31..-1, or a range of them that is not always empty.</summary>
    public static string? ParseDaysOfMonth(string text, out InclusiveRange range)
    {
        if (ParseRange(text, Number, out range) is { } error)
        {
            return error;
        }

        var (begin, end) = (range.Begin, range.End);
        if (begin == 0 || begin < -31 || begin > 31)
        {
            return $"{begin} is not a valid day of the month: out of range";
        }

        if (end == 0 || end < -31 || end > 31)
        {
            return $"{end} is not a valid day of the month: out of range";
        }

        if (begin < 0 && end > 0)
        {
            return "end day must be negative if start day is negative";
        }

        // Alertmanager compares the ends as if the month had 28 days.
        if ((begin < 0 ? 28 + begin : begin) > (end < 0 ? 28 + end : end))
        {
            return $"end day {end} is always before start day {begin}";
        }

        return null;
    }

    /// <summary>A <c>months</c> entry: names (any case) or numbers, or a range. Like Alertmanager, numbers are not range-checked.</summary>
    public static string? ParseMonths(string text, out InclusiveRange range)
    {
        if (ParseRange(text, Month, out range) is { } error)
        {
            return error;
        }

        return range.Begin > range.End ? $"end month {MonthName(range.End)} is before start month {MonthName(range.Begin)}" : null;
    }

    /// <summary>A <c>years</c> entry: a number or a range.</summary>
    public static string? ParseYears(string text, out InclusiveRange range)
    {
        if (ParseRange(text, Number, out range) is { } error)
        {
            return error;
        }

        return range.Begin > range.End ? $"end year {range.End} is before start year {range.Begin}" : null;
    }

    /// <summary>A <c>location</c>: an IANA zone name; "" and "UTC" are UTC and "Local" the machine's zone, as Go's <c>time.LoadLocation</c>.</summary>
    public static string? ParseLocation(string text, out DateTimeZone? zone)
    {
        zone = text switch
        {
            "" or "UTC" => DateTimeZone.Utc,
            "Local" => DateTimeZoneProviders.Tzdb.GetSystemDefault(),
            _ => DateTimeZoneProviders.Tzdb.GetZoneOrNull(text),
        };
        return zone is null ? $"unknown time zone {text}" : null;
    }

    private static string? ParseRange(string text, Func<string, (int Value, string? Error)> member, out InclusiveRange range)
    {
        range = default;
        var lower = text.ToLowerInvariant();
        var parts = lower.Split(':');
        if (parts.Length > 2)
        {
            return $"couldn't parse range {lower}, invalid format";
        }

        var begin = member(parts[0]);
        if (begin.Error is not null)
        {
            return begin.Error;
        }

        var end = parts.Length == 2 ? member(parts[1]) : begin;
        if (end.Error is not null)
        {
            return end.Error;
        }

        range = new InclusiveRange(begin.Value, end.Value);
        return null;
    }

    private static (int, string?) Weekday(string text) =>
        Array.IndexOf(WeekdayNames, text) is var day and >= 0 ? (day, null) : (-1, $"{text} is not a valid weekday");

    private static (int, string?) Month(string text) =>
        Array.IndexOf(MonthNames, text) is var month and >= 0 ? (month + 1, null)
        : Number(text) is (var number, null) ? (number, null) : (-1, $"{text} is not a valid month");

    // Go's strconv.Atoi: an optional sign and decimal digits.
    private static (int, string?) Number(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (-1, $"strconv.Atoi: parsing \"{text}\": invalid syntax");

    private static string MonthName(int month) => month is >= 1 and <= 12 ? MonthNames[month - 1] : "";

    // Alertmanager's validTime; \z because .NET's $ also matches before a final newline and Go's does not.
    [GeneratedRegex(@"^((([01][0-9])|(2[0-3])):[0-5][0-9])\z|(^24:00\z)")]
    private static partial Regex TimeSyntax();
}

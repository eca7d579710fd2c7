using AlertRelay.Core.TimeIntervals;

namespace AlertRelay.Tests.TimeIntervals;

/// <summary>
/// <see cref="TimePeriodParser"/> on Alertmanager's <c>timeStringTestCases</c> and the error cases of its
/// <c>yamlUnmarshalTestCases</c>: the same values accepted, the same messages for the refused ones.
/// </summary>
public sealed class TimePeriodParserTests
{
    [Theory]
    [InlineData("00:00", "24:00", 0, 1440)]
    [InlineData("01:35", "17:39", 95, 1059)]
    [InlineData("09:35", "09:39", 575, 579)]
    public void ParseTimeRange_ReturnsMinutes_WhenValid(string start, string end, int startMinute, int endMinute)
    {
        Assert.Null(TimePeriodParser.ParseTimeRange(start, end, out var range));
        Assert.Equal(new TimeRange(startMinute, endMinute), range);
    }

    [Theory]
    [InlineData("17:31", "17:31", "start time cannot be equal or greater than end time")]
    [InlineData("12:30", "24:01", "couldn't parse timestamp 24:01, invalid format")]
    [InlineData("09:30", "07:41", "start time cannot be equal or greater than end time")]
    [InlineData("24:00", "17:41", "start time cannot be equal or greater than end time")]
    [InlineData("14:03", null, "both start and end times must be provided")]
    [InlineData("01:99", "23:59", "couldn't parse timestamp 01:99, invalid format")]
    [InlineData("00:00", "99:99", "couldn't parse timestamp 99:99, invalid format")]
    [InlineData("9:00", "17:00", "couldn't parse timestamp 9:00, invalid format")]
    [InlineData("09:00", "17:00\n", "couldn't parse timestamp 17:00\n, invalid format")]
    public void ParseTimeRange_ReturnsAlertmanagersMessage_WhenInvalid(string? start, string? end, string expected)
    {
        Assert.Equal(expected, TimePeriodParser.ParseTimeRange(start, end, out _));
    }

    public sealed record RangeCase(string Name, string Field, string Text, string? Error, int Begin = 0, int End = 0)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RangeCase> RangeCases() => new(
        new RangeCase("weekday range", "weekdays", "monday:friday", null, 1, 5),
        new RangeCase("weekday any case", "weekdays", "Sunday", null, 0, 0),
        new RangeCase("start day after end day", "weekdays", "friday:monday", "start day cannot be before end day"),
        new RangeCase("invalid weekday", "weekdays", "blurgsday:flurgsday", "blurgsday is not a valid weekday"),
        new RangeCase("numeric weekdays", "weekdays", "1:3", "1 is not a valid weekday"),
        new RangeCase("negative numeric weekdays", "weekdays", "-2:-1", "-2 is not a valid weekday"),
        new RangeCase("three parts", "weekdays", "monday:tuesday:friday", "couldn't parse range monday:tuesday:friday, invalid format"),
        new RangeCase("day 0", "days_of_month", "0", "0 is not a valid day of the month: out of range"),
        new RangeCase("day below -31", "days_of_month", "-50:-20", "-50 is not a valid day of the month: out of range"),
        new RangeCase("day above 31", "days_of_month", "1:50", "50 is not a valid day of the month: out of range"),
        new RangeCase("positive to negative", "days_of_month", "1:-1", null, 1, -1),
        new RangeCase("negative to positive", "days_of_month", "-15:5", "end day must be negative if start day is negative"),
        new RangeCase("negative end always before start", "days_of_month", "10:-25", "end day -25 is always before start day 10"),
        new RangeCase("day not a number", "days_of_month", "first", "strconv.Atoi: parsing \"first\": invalid syntax"),
        new RangeCase("months any case", "months", "January:december", null, 1, 12),
        new RangeCase("months by number", "months", "3:6", null, 3, 6),
        new RangeCase("month 13 accepted, as Alertmanager", "months", "13", null, 13, 13),
        new RangeCase("invalid start month", "months", "martius:june", "martius is not a valid month"),
        new RangeCase("invalid end month", "months", "march:junius", "junius is not a valid month"),
        new RangeCase("start month after end month", "months", "december:january", "end month january is before start month december"),
        new RangeCase("years", "years", "2020:2025", null, 2020, 2025),
        new RangeCase("start year after end year", "years", "2022:2020", "end year 2020 is before start year 2022"));

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void ParseRange_MatchesAlertmanager(RangeCase testCase)
    {
        InclusiveRange range = default;
        var error = testCase.Field switch
        {
            "weekdays" => TimePeriodParser.ParseWeekdays(testCase.Text, out range),
            "days_of_month" => TimePeriodParser.ParseDaysOfMonth(testCase.Text, out range),
            "months" => TimePeriodParser.ParseMonths(testCase.Text, out range),
            _ => TimePeriodParser.ParseYears(testCase.Text, out range),
        };

        Assert.Equal(testCase.Error, error);
        if (error is null)
        {
            Assert.Equal(new InclusiveRange(testCase.Begin, testCase.End), range);
        }
    }

    [Theory]
    [InlineData("Australia/Sydney", "Australia/Sydney")]
    [InlineData("UTC", "UTC")]
    [InlineData("", "UTC")]
    [InlineData("America/New_York", "America/New_York")]
    public void ParseLocation_ReturnsTheZone_WhenKnown(string text, string expected)
    {
        Assert.Null(TimePeriodParser.ParseLocation(text, out var zone));
        Assert.Equal(expected, zone!.Id);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("utc")]
    public void ParseLocation_ReturnsGosMessage_WhenUnknown(string text)
    {
        Assert.Equal($"unknown time zone {text}", TimePeriodParser.ParseLocation(text, out _));
    }
}

using AlertRelay.Core.TimeIntervals;
using NodaTime;

namespace AlertRelay.Tests.TimeIntervals;

/// <summary>
/// <see cref="TimePeriod.ContainsTime"/> on the cases of Alertmanager's <c>timeinterval_test.go</c> (<c>timeIntervalTestCases</c>),
/// plus the edges they leave implicit: end minute excluded, 24:00, an empty list, negative days in February.
/// </summary>
public sealed class TimePeriodTests
{
    public sealed record Case(string Name, TimePeriod Period, string[] Contains, string[] Excludes)
    {
        public override string ToString() => Name;
    }

    private static InclusiveRange R(int begin, int end) => new(begin, end);

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    private static readonly TimeRange NineToFive = new(540, 1020);

    public static TheoryData<Case> Cases() => new(
        new Case("empty period: always", new TimePeriod(),
            ["02 Jan 06 15:04 +0000", "03 Jan 07 10:04 +0000", "04 Jan 06 09:04 +0000"], []),
        new Case("9 to 5, monday to friday", new TimePeriod { Times = [NineToFive], Weekdays = [R(1, 5)] },
            ["04 May 20 15:04 +0000", "05 May 20 10:04 +0000", "09 Jun 20 09:04 +0000"],
            ["03 May 20 15:04 +0000", "04 May 20 08:59 +0000", "05 May 20 05:00 +0000"]),
        new Case("easter 2020", new TimePeriod { DaysOfMonth = [R(4, 6)], Months = [R(4, 4)], Years = [R(2020, 2020)] },
            ["04 Apr 20 15:04 +0000", "05 Apr 20 00:00 +0000", "06 Apr 20 23:05 +0000"],
            ["03 May 18 15:04 +0000", "03 Apr 20 23:59 +0000", "04 Jun 20 23:59 +0000", "06 Apr 19 23:59 +0000", "07 Apr 20 00:00 +0000"]),
        new Case("last 3 days of each month", new TimePeriod { DaysOfMonth = [R(-3, -1)] },
            ["31 Jan 20 15:04 +0000", "30 Jan 20 15:04 +0000", "29 Jan 20 15:04 +0000", "30 Jun 20 00:00 +0000", "29 Feb 20 23:05 +0000"],
            ["03 May 18 15:04 +0000", "27 Jan 20 15:04 +0000", "03 Apr 20 23:59 +0000", "04 Jun 20 23:59 +0000",
             "06 Apr 19 23:59 +0000", "07 Apr 20 00:00 +0000", "01 Mar 20 00:00 +0000"]),
        new Case("last 3 days, february of a common year", new TimePeriod { DaysOfMonth = [R(-3, -1)] },
            ["26 Feb 21 00:00 +0000", "28 Feb 21 23:59 +0000"], ["25 Feb 21 23:59 +0000", "01 Mar 21 00:00 +0000"]),
        new Case("out of bound days clamped to the month", new TimePeriod { Months = [R(6, 6)], DaysOfMonth = [R(-31, 31)] },
            ["30 Jun 20 00:00 +0000", "01 Jun 20 00:00 +0000"], ["31 May 20 00:00 +0000", "1 Jul 20 00:00 +0000"]),
        new Case("30:31 never in february (begin after the month is not clamped)",
            new TimePeriod { DaysOfMonth = [R(30, 31)], Years = [R(2020, 2023)], Months = [R(2, 2)] },
            [], ["28 Feb 21 13:00 +0000", "29 Feb 20 13:00 +0000"]),
        new Case("sydney 9 to 5 weekdays", new TimePeriod { Times = [NineToFive], Weekdays = [R(1, 5)], Location = Zone("Australia/Sydney") },
            ["06 Apr 21 13:00 +1000"], ["06 Apr 21 13:00 +0000"]),
        new Case("sydney during daylight saving", new TimePeriod
            {
                Times = [NineToFive], Weekdays = [R(1, 5)], Months = [R(11, 11)], Location = Zone("Australia/Sydney"),
            },
            ["01 Nov 21 09:00 +1100", "31 Oct 21 22:00 +0000"], ["31 Oct 21 21:00 +0000"]),
        new Case("last day in a spring-forward month (Alertmanager's DST fix)",
            new TimePeriod { DaysOfMonth = [R(-1, -1)], Location = Zone("America/New_York") },
            ["31 Mar 21 12:00 -0400", "31 Mar 21 00:30 -0400"], ["30 Mar 21 12:00 -0400", "01 Apr 21 04:30 +0000"]),
        new Case("new york 9 to 5 across the spring-forward day", new TimePeriod { Times = [NineToFive], Location = Zone("America/New_York") },
            ["14 Mar 21 13:00 +0000", "15 Mar 21 20:59 +0000"], ["14 Mar 21 21:00 +0000", "08 Mar 21 13:30 +0000"]),
        new Case("end minute excluded, start included", new TimePeriod { Times = [new TimeRange(575, 579)] },
            ["01 Jan 21 09:35 +0000", "01 Jan 21 09:38 +0000"], ["01 Jan 21 09:34 +0000", "01 Jan 21 09:39 +0000"]),
        new Case("00:00 to 24:00 is the whole day", new TimePeriod { Times = [new TimeRange(0, 1440)] },
            ["01 Jan 21 00:00 +0000", "01 Jan 21 23:59 +0000"], []),
        new Case("an empty list allows nothing (as Alertmanager's non-nil empty slice)", new TimePeriod { Weekdays = [] },
            [], ["01 Jan 21 00:00 +0000", "04 Jan 21 12:00 +0000"]),
        new Case("complete: 1, 10 and 20:-1 of q1 mon-wed and weekends", new TimePeriod
            {
                Weekdays = [R(1, 3), R(6, 6), R(0, 0)], Times = [new TimeRange(780, 900)], DaysOfMonth = [R(1, 1), R(10, 10), R(20, -1)],
                Years = [R(2020, 2023)], Months = [R(1, 3)],
            },
            ["10 Jan 21 13:00 +0000", "30 Jan 21 14:24 +0000"], ["09 Jan 21 13:00 +0000", "20 Jan 21 12:59 +0000", "02 Feb 21 13:00 +0000"]));

    [Theory]
    [MemberData(nameof(Cases))]
    public void ContainsTime_MatchesAlertmanager_ForEachInstant(Case testCase)
    {
        foreach (var text in testCase.Contains)
        {
            Assert.True(testCase.Period.ContainsTime(GoTime.Parse(text)), $"should contain {text}");
        }

        foreach (var text in testCase.Excludes)
        {
            Assert.False(testCase.Period.ContainsTime(GoTime.Parse(text)), $"should exclude {text}");
        }
    }

    [Fact]
    public void ContainsTime_ReadsUtc_WhenNoLocationIsSet()
    {
        var period = new TimePeriod { Times = [NineToFive] };

        Assert.True(period.ContainsTime(GoTime.Parse("01 Jan 21 18:00 +0200"))); // 16:00 UTC
        Assert.False(period.ContainsTime(GoTime.Parse("01 Jan 21 10:00 -0800"))); // 18:00 UTC
    }

    [Fact]
    public void ContainsTime_IsFalse_ForAnIntervalWithoutPeriods()
    {
        Assert.False(new TimeInterval("never", []).ContainsTime(GoTime.Parse("01 Jan 21 12:00 +0000")));
        Assert.True(new TimeInterval("always", [new TimePeriod()]).ContainsTime(GoTime.Parse("01 Jan 21 12:00 +0000")));
    }
}

using AlertRelay.Core.Configuration;
using AlertRelay.Core.TimeIntervals;
using AlertRelay.Tests.TimeIntervals;

namespace AlertRelay.Tests.Configuration;

/// <summary>
/// The top-level <c>time_intervals</c> and <c>mute_time_intervals</c> sections and the route's references to them, read as
/// Alertmanager reads them: the values, and every refusal with its line, path and message.
/// </summary>
public sealed class TimeIntervalConfigTests
{
    private const string File = "alertrelay.yml";

    private const string Route = """
        route:
          receiver: r
          routes:
            - receiver: r
              mute_time_intervals: [a]
        receivers: [{name: r}]

        """;

    [Fact]
    public void Load_ReadsBothSections_IntoOneNameSpace()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route:
              receiver: r
              routes:
                - receiver: r
                  mute_time_intervals: [old]
                  active_time_intervals: [business]
            receivers: [{name: r}]
            mute_time_intervals:
              - name: old
                time_intervals: [{weekdays: [saturday]}]
            time_intervals:
              - name: business
                time_intervals:
                  - times:
                      - start_time: '09:00'
                        end_time: '17:30'
                    weekdays: ['monday:friday']
                    days_of_month: ['1:-1']
                    months: ['January:march', '12']
                    years: ['2020:2030']
                    location: Europe/Paris
                  - weekdays: [sunday]
              - name: empty
                time_intervals: []
            """, File);

        Assert.Equal(["business", "empty", "old"], config.TimeIntervals.Keys.Order(StringComparer.Ordinal));
        var business = config.TimeIntervals["business"].Periods;
        Assert.Equal(2, business.Count);
        Assert.Equal([new TimeRange(540, 1050)], business[0].Times!);
        Assert.Equal([new InclusiveRange(1, 5)], business[0].Weekdays!);
        Assert.Equal([new InclusiveRange(1, -1)], business[0].DaysOfMonth!);
        Assert.Equal([new InclusiveRange(1, 3), new InclusiveRange(12, 12)], business[0].Months!);
        Assert.Equal([new InclusiveRange(2020, 2030)], business[0].Years!);
        Assert.Equal("Europe/Paris", business[0].Location!.Id);
        Assert.Null(business[1].Times); // absent: any time of day
        Assert.Null(business[1].Location); // UTC
        Assert.Empty(config.TimeIntervals["empty"].Periods);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Load_ReadsAlertmanagersAdvancedExample_WithItsContainsAndExcludes()
    {
        // yamlUnmarshalTestCases: the last week, excluding Saturday, of the first quarter, business hours, 2020-2025 and 2030-2035.
        var config = RelayConfigLoader.LoadFromYaml(Route + """
            time_intervals:
              - name: a
                time_intervals:
                  - weekdays: ['monday:friday', 'sunday']
                    months: ['january:march']
                    days_of_month: ['-7:-1']
                    years: ['2020:2025', '2030:2035']
                    times:
                      - start_time: '09:00'
                        end_time: '17:00'
            """, File);

        var interval = config.TimeIntervals["a"];
        string[] contains = ["27 Jan 21 09:00 +0000", "28 Jan 21 16:59 +0000", "29 Jan 21 13:00 +0000", "31 Mar 25 13:00 +0000", "31 Jan 35 13:00 +0000"];
        string[] excludes = ["30 Jan 21 13:00 +0000", "01 Apr 21 13:00 +0000", "30 Jan 26 13:00 +0000", "31 Jan 35 17:01 +0000"];
        Assert.All(contains, t => Assert.True(interval.ContainsTime(GoTime.Parse(t)), t));
        Assert.All(excludes, t => Assert.False(interval.ContainsTime(GoTime.Parse(t)), t));
    }

    [Fact]
    public void Load_Warns_WhenAMonthIsOutside1To12()
    {
        var config = RelayConfigLoader.LoadFromYaml(Route + """
            time_intervals:
              - name: a
                time_intervals: [{months: ['13']}]
            """, File);

        var warning = Assert.Single(config.Warnings);
        Assert.Equal((9, "time_intervals[0].time_intervals[0].months"), (warning.Line, warning.Path));
    }

    public sealed record InvalidCase(string Name, string Yaml, int Line, string Path, string Message)
    {
        public override string ToString() => Name;
    }

    private static InvalidCase Bad(string name, string intervals, int line, string path, string message) =>
        new(name, Route + intervals, line, path, message);

    public static TheoryData<InvalidCase> InvalidCases() => new(
        new InvalidCase("undefined mute interval", "route:\n  receiver: r\n  routes:\n    - mute_time_intervals: [a, b]\nreceivers: [{name: r}]\n"
            + "time_intervals: [{name: a, time_intervals: []}]\n", 4, "route.routes[0].mute_time_intervals[1]", "undefined time interval \"b\" used in route"),
        new InvalidCase("undefined active interval", "route:\n  receiver: r\n  routes:\n    - routes:\n        - active_time_intervals:\n            - nope\n"
            + "receivers: [{name: r}]\n", 6, "route.routes[0].routes[0].active_time_intervals[0]", "undefined time interval \"nope\" used in route"),
        Bad("duplicate in time_intervals", "time_intervals:\n  - name: a\n  - name: a\n", 9, "time_intervals[1].name", "time interval \"a\" is not unique"),
        Bad("duplicate across sections", "mute_time_intervals:\n  - name: a\ntime_intervals:\n  - name: a\n", 10, "time_intervals[0].name",
            "time interval \"a\" is not unique"),
        Bad("duplicate in mute_time_intervals", "mute_time_intervals:\n  - name: a\n  - name: a\n", 9, "mute_time_intervals[1].name",
            "mute time interval \"a\" is not unique"),
        Bad("missing name", "time_intervals:\n  - name: a\n  - time_intervals: []\n", 9, "time_intervals[1].name", "missing name in time interval"),
        Bad("missing name, old section", "time_intervals: [{name: a}]\nmute_time_intervals:\n  - name: ''\n", 9, "mute_time_intervals[0].name",
            "missing name in mute time interval"),
        Bad("unknown interval key", "time_intervals:\n  - name: a\n    time_interval: []\n", 9, "time_intervals[0].time_interval",
            "unknown field \"time_interval\" (did you mean \"time_intervals\"?)"),
        Bad("unknown period key", "time_intervals:\n  - name: a\n    time_intervals:\n      - weekday: [monday]\n", 10,
            "time_intervals[0].time_intervals[0].weekday", "unknown field \"weekday\" (did you mean \"weekdays\"?)"),
        Bad("unknown times key", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00', end_time: '10:00', stop_time: '10:00'}]\n", 10,
            "time_intervals[0].time_intervals[0].times[0].stop_time", "unknown field \"stop_time\""),
        Bad("start after end", "time_intervals:\n  - name: a\n    time_intervals:\n      - times:\n          - start_time: '17:00'\n            end_time: '09:00'\n",
            11, "time_intervals[0].time_intervals[0].times[0]", "start time cannot be equal or greater than end time"),
        Bad("end time missing", "time_intervals:\n  - name: a\n    time_intervals:\n      - times: [{start_time: '09:00'}]\n", 10,
            "time_intervals[0].time_intervals[0].times[0]", "both start and end times must be provided"),
        Bad("invalid weekday", "time_intervals:\n  - name: a\n    time_intervals:\n      - weekdays: [monday, funday]\n", 10,
            "time_intervals[0].time_intervals[0].weekdays[1]", "funday is not a valid weekday"),
        Bad("day of month 0", "time_intervals:\n  - name: a\n    time_intervals:\n      - days_of_month: ['0']\n", 10,
            "time_intervals[0].time_intervals[0].days_of_month[0]", "0 is not a valid day of the month: out of range"),
        Bad("months reversed", "time_intervals:\n  - name: a\n    time_intervals:\n      - months: ['december:january']\n", 10,
            "time_intervals[0].time_intervals[0].months[0]", "end month january is before start month december"),
        Bad("years reversed", "time_intervals:\n  - name: a\n    time_intervals:\n      - years:\n          - 2022:2020\n", 11,
            "time_intervals[0].time_intervals[0].years[0]", "end year 2020 is before start year 2022"),
        Bad("unknown location", "time_intervals:\n  - name: a\n    time_intervals:\n      - location: Europe/Atlantis\n", 10,
            "time_intervals[0].time_intervals[0].location", "unknown time zone Europe/Atlantis"),
        Bad("weekdays not a list", "time_intervals:\n  - name: a\n    time_intervals:\n      - weekdays: monday\n", 10,
            "time_intervals[0].time_intervals[0].weekdays", "expected a list, got \"monday\""));

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Load_ReportsLineAndMessage_WhenATimeIntervalIsInvalid(InvalidCase testCase)
    {
        var exception = Assert.Throws<ConfigException>(() => RelayConfigLoader.LoadFromYaml(testCase.Yaml, File));

        var error = Assert.Single(exception.Errors);
        Assert.Equal((testCase.Line, testCase.Path, testCase.Message), (error.Line, error.Path, error.Message));
        Assert.Equal(File, error.File);
    }
}

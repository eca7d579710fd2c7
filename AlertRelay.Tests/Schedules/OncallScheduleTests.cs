using AlertRelay.Core.Schedules;
using NodaTime;

namespace AlertRelay.Tests.Schedules;

/// <summary>Named examples of who is on call, around the daylight-saving changes of 2026.</summary>
public sealed class OncallScheduleTests
{
    private static OncallSchedule Schedule(string zone, LocalDateTime start, Duration length, params ScheduleOverride[] overrides) =>
        new("primary", DateTimeZoneProviders.Tzdb[zone], new Rotation(start, length, ["alice", "bob", "carol"]), overrides);

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, string, string> WeeklyNineOClock() => new()
    {
        // zone, a handoff's UTC instant before the change, the next week's after it: 09:00 local both times
        { "Europe/Paris", "2026-03-23T08:00:00Z", "2026-03-30T07:00:00Z" },
        { "Europe/Paris", "2026-10-19T07:00:00Z", "2026-10-26T08:00:00Z" },
        { "America/New_York", "2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z" },
        { "America/New_York", "2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z" },
        { "Australia/Lord_Howe", "2026-03-29T22:00:00Z", "2026-04-05T22:30:00Z" },
        { "Australia/Lord_Howe", "2026-09-27T22:30:00Z", "2026-10-04T22:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(WeeklyNineOClock))]
    public void HandoffAt_StaysAtNineLocal_WhenAWeeklyRotationCrossesADaylightSavingChange(string zone, string before, string after)
    {
        var tz = DateTimeZoneProviders.Tzdb[zone];
        var first = Instant.FromDateTimeOffset(Utc(before)).InZone(tz).LocalDateTime;
        Assert.Equal(new LocalTime(9, 0), first.TimeOfDay);
        var schedule = Schedule(zone, first, Duration.FromDays(7));

        Assert.Equal(Utc(before), schedule.HandoffAt(0));
        Assert.Equal(Utc(after), schedule.HandoffAt(1));
        Assert.Equal(new Shift("bob", Utc(after), schedule.HandoffAt(2), IsOverride: false), schedule.ShiftAt(Utc(after)));
    }

    public static TheoryData<string, string, string> SkippedHandoffs() => new()
    {
        // zone, a daily local handoff time that the spring change skips on that day, the instant the handoff happens instead
        { "Europe/Paris", "2026-03-29T02:30", "2026-03-29T01:00:00Z" },          // 02:00 -> 03:00 CEST: at 03:00 local
        { "America/New_York", "2026-03-08T02:00", "2026-03-08T07:00:00Z" },      // 02:00 -> 03:00 EDT: at 03:00 local
        { "Australia/Lord_Howe", "2026-10-04T02:15", "2026-10-03T15:30:00Z" },   // 02:00 -> 02:30 +11: at 02:30 local
    };

    [Theory]
    [MemberData(nameof(SkippedHandoffs))]
    public void HandoffAt_HappensRightAfterTheGap_WhenTheLocalHandoffTimeIsSkipped(string zone, string local, string expected)
    {
        var skipped = NodaTime.Text.LocalDateTimePattern.GeneralIso.Parse(local + ":00").Value;
        var schedule = Schedule(zone, skipped.PlusDays(-3), Duration.FromDays(1));

        Assert.Equal(Utc(expected), schedule.HandoffAt(3));
        Assert.Equal(skipped.TimeOfDay, Instant.FromDateTimeOffset(schedule.HandoffAt(4)).InZone(DateTimeZoneProviders.Tzdb[zone]).TimeOfDay);
    }

    [Fact]
    public void ShiftAt_TakesTheEarlierInstant_WhenTheLocalHandoffTimeIsRepeated()
    {
        // Europe/Paris 2026-10-25: 03:00 CEST -> 02:00 CET, so 02:30 happens twice (00:30Z and 01:30Z).
        var schedule = Schedule("Europe/Paris", new LocalDateTime(2026, 10, 24, 2, 30), Duration.FromDays(1));

        Assert.Equal(Utc("2026-10-25T00:30:00Z"), schedule.HandoffAt(1));
        Assert.Equal("bob", schedule.ShiftAt(Utc("2026-10-25T01:30:00Z")).Participant);
    }

    [Fact]
    public void ShiftAt_ReturnsTheOverride_ForTheIssueExample()
    {
        var schedule = Schedule("Europe/Paris", new LocalDateTime(2026, 1, 5, 9, 0), Duration.FromDays(7),
            new ScheduleOverride("dave", new LocalDateTime(2026, 3, 28, 18, 0), new LocalDateTime(2026, 3, 30, 9, 0)));

        var shift = schedule.ShiftAt(Utc("2026-03-29T01:30:00Z"));

        Assert.Equal(new Shift("dave", Utc("2026-03-28T17:00:00Z"), Utc("2026-03-30T07:00:00Z"), IsOverride: true), shift);
        // 2026-03-23 is week 11 (alice, bob, carol, ...): carol's turn, cut by dave's override on both sides.
        Assert.Equal(new Shift("carol", Utc("2026-03-23T08:00:00Z"), Utc("2026-03-28T17:00:00Z"), IsOverride: false), schedule.ShiftAt(Utc("2026-03-28T16:59:00Z")));
        Assert.Equal(new Shift("alice", Utc("2026-03-30T07:00:00Z"), Utc("2026-04-06T07:00:00Z"), IsOverride: false), schedule.ShiftAt(Utc("2026-03-30T07:00:00Z")));
    }

    [Fact]
    public void ShiftAt_StartsWithTheOverrideEnd_WhenAnOverrideSkippedByTheGapIsEmpty()
    {
        // 02:10-02:50 on 2026-03-29 never happens in Paris: the override is empty and the rotation holds 03:00 CEST.
        var schedule = Schedule("Europe/Paris", new LocalDateTime(2026, 3, 28, 9, 0), Duration.FromDays(1),
            new ScheduleOverride("dave", new LocalDateTime(2026, 3, 29, 2, 10), new LocalDateTime(2026, 3, 29, 2, 50)),
            new ScheduleOverride("erin", new LocalDateTime(2026, 3, 29, 2, 50), new LocalDateTime(2026, 3, 29, 4, 0)));

        Assert.Equal(new Shift("erin", Utc("2026-03-29T01:00:00Z"), Utc("2026-03-29T02:00:00Z"), IsOverride: true), schedule.ShiftAt(Utc("2026-03-29T01:00:00Z")));
        Assert.Equal(Utc("2026-03-29T01:00:00Z"), schedule.ShiftAt(Utc("2026-03-29T00:59:00Z")).End);
    }

    [Fact]
    public void ShiftAt_RunsTheRotationBackwards_WhenBeforeTheRotationStart()
    {
        var schedule = Schedule("UTC", new LocalDateTime(2026, 1, 5, 9, 0), Duration.FromDays(7));

        var shift = schedule.ShiftAt(Utc("2026-01-05T08:59:00Z"));

        Assert.Equal(new Shift("carol", Utc("2025-12-29T09:00:00Z"), Utc("2026-01-05T09:00:00Z"), IsOverride: false), shift);
        Assert.Equal("bob", schedule.ShiftAt(Utc("2025-12-25T00:00:00Z")).Participant);
    }
}

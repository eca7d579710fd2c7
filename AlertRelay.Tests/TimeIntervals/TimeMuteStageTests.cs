using AlertRelay.Core.Routing;
using AlertRelay.Core.TimeIntervals;
using NodaTime;

namespace AlertRelay.Tests.TimeIntervals;

/// <summary>
/// <see cref="TimeMuteStage"/>: one route's decision (Alertmanager's TimeActiveStage then TimeMuteStage, with the names of its
/// <c>TestIntervener_Mutes</c> cases), and the receivers of several matched routes.
/// </summary>
public sealed class TimeMuteStageTests
{
    private static readonly DateTimeZone Sydney = DateTimeZoneProviders.Tzdb["Australia/Sydney"];

    // Alertmanager's eveningsAndWeekends.
    private static readonly Dictionary<string, TimeInterval> Intervals = new()
    {
        ["evenings"] = new("evenings", [new TimePeriod { Times = [new TimeRange(0, 540), new TimeRange(1020, 1440)], Location = Sydney }]),
        ["weekends"] = new("weekends", [new TimePeriod { Weekdays = [new InclusiveRange(6, 6), new InclusiveRange(0, 0)], Location = Sydney }]),
        ["never"] = new("never", []),
    };

    private static DateTimeOffset InSydney(int year, int month, int day, int hour) =>
        new LocalDateTime(year, month, day, hour, 0).InZoneLeniently(Sydney).ToDateTimeOffset();

    private static Route Node(string receiver, string[]? mute = null, string[]? active = null) =>
        new(receiver, [], false, []) { MuteTimeIntervals = mute ?? [], ActiveTimeIntervals = active ?? [] };

    public sealed record Case(string Name, Route Route, DateTimeOffset Now, MuteReason Reason, string[] Intervals)
    {
        public override string ToString() => Name;
    }

    private static readonly string[] Both = ["evenings", "weekends"];

    public static TheoryData<Case> Cases() => new(
        new Case("muted outside working hours", Node("r", mute: Both), InSydney(2024, 1, 1, 0), MuteReason.MuteTimeIntervals, ["evenings"]),
        new Case("not muted during working hours", Node("r", mute: Both), InSydney(2024, 1, 1, 9), MuteReason.None, []),
        new Case("muted during weekends", Node("r", mute: Both), InSydney(2024, 1, 6, 10), MuteReason.MuteTimeIntervals, ["weekends"]),
        new Case("muted during weekend evenings", Node("r", mute: Both), InSydney(2024, 1, 6, 17), MuteReason.MuteTimeIntervals, Both),
        new Case("muted at 10 UTC on a weekday", Node("r", mute: Both), new DateTimeOffset(2024, 1, 1, 10, 0, 0, TimeSpan.Zero),
            MuteReason.MuteTimeIntervals, ["evenings"]),
        new Case("muted at 10 UTC on a weekend", Node("r", mute: Both), new DateTimeOffset(2024, 1, 6, 10, 0, 0, TimeSpan.Zero),
            MuteReason.MuteTimeIntervals, Both),
        new Case("no intervals: sent", Node("r"), InSydney(2024, 1, 6, 17), MuteReason.None, []),
        new Case("active interval active: sent", Node("r", active: ["evenings"]), InSydney(2024, 1, 1, 20), MuteReason.None, []),
        new Case("active interval inactive: muted", Node("r", active: ["evenings"]), InSydney(2024, 1, 1, 12),
            MuteReason.ActiveTimeIntervals, ["evenings"]),
        new Case("one of two active intervals active: sent", Node("r", active: ["never", "weekends"]), InSydney(2024, 1, 6, 12), MuteReason.None, []),
        new Case("interval without periods never active", Node("r", active: ["never"]), InSydney(2024, 1, 6, 12),
            MuteReason.ActiveTimeIntervals, ["never"]),
        new Case("active and muted at once: muted by the mute interval", Node("r", mute: ["weekends"], active: ["evenings"]),
            InSydney(2024, 1, 6, 20), MuteReason.MuteTimeIntervals, ["weekends"]),
        new Case("outside the active intervals: the active stage decides first", Node("r", mute: ["weekends"], active: ["evenings"]),
            InSydney(2024, 1, 6, 12), MuteReason.ActiveTimeIntervals, ["evenings"]));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_ReturnsReasonAndIntervals(Case testCase)
    {
        var decision = TimeMuteStage.Decide(testCase.Route, Intervals, testCase.Now);

        Assert.Equal(testCase.Reason, decision.Reason);
        Assert.Equal(testCase.Intervals, decision.Intervals);
        Assert.Equal(testCase.Reason != MuteReason.None, decision.IsMuted);
    }

    [Fact]
    public void Select_SendsAReceiver_WhenAnyRouteThatChoseItIsNotMuted()
    {
        var weekend = InSydney(2024, 1, 6, 12);
        Route[] matched = [Node("team", mute: ["weekends"]), Node("pager", active: ["evenings"]), Node("team"), Node("lead", mute: ["weekends"])];

        var selection = TimeMuteStage.Select(matched, Intervals, weekend);

        Assert.Equal(["team"], selection.Send);
        Assert.Equal(["pager", "lead"], selection.Muted.Select(m => m.Receiver));
        Assert.Equal("active_time_intervals", selection.Muted[0].Decision.ReasonText);
        Assert.Equal("mute_time_intervals", selection.Muted[1].Decision.ReasonText);
    }

    [Fact]
    public void Select_KeepsTreeOrder_AndEachReceiverOnce_WhenNothingIsMuted()
    {
        Route[] matched = [Node("b"), Node("a", mute: ["never"]), Node("b")];

        var selection = TimeMuteStage.Select(matched, Intervals, InSydney(2024, 1, 1, 12));

        Assert.Equal(["b", "a"], selection.Send);
        Assert.Empty(selection.Muted);
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.TimeIntervals;
using static AlertRelay.Tests.Pipeline.AlertChainTimeIntervalTests;

namespace AlertRelay.Tests.TimeIntervals;

/// <summary>
/// <see cref="UnmuteStage"/>: a receiver held back by time intervals is notified once its routes no longer mute it, and only while the
/// occurrence fires unacknowledged, unsilenced and uninhibited, routed to that receiver, under a configuration with intervals.
/// </summary>
public sealed class UnmuteStageTests
{
    // Config: critical goes to pager (muted on weekends) and to team (active in office hours, Monday to Friday 09:00-17:00 UTC).
    private static readonly DateTimeOffset Monday0850 = new(2026, 11, 30, 8, 50, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday0900 = Monday0850.AddMinutes(10);

    private static readonly RelayConfig NoIntervals = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: team
        receivers:
          - name: team
        """, "alertrelay.yml");

    private static PendingUnmute Pending(string receiver = "team", string severity = "critical") =>
        new(1, receiver, UnixMillis.From(Monday0850), Alert("NodeDown", severity, Monday0850).Labels, UnixMillis.From(Monday0850), AlertStatus.Firing,
            null, false, null, null);

    private static long Ms(DateTimeOffset t) => UnixMillis.From(t);

    public sealed record Case(string Name, PendingUnmute Pending, DateTimeOffset Now, UnmuteReason Reason, RelayConfig? Config = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases() => new(
        new Case("still outside office hours", Pending(), Monday0850.AddMinutes(9), UnmuteReason.StillMuted),
        new Case("office hours begin", Pending(), Monday0900, UnmuteReason.Unmuted),
        new Case("weekend mute still active", Pending("pager") with { SinceMs = Ms(Saturday) }, Saturday.AddHours(1), UnmuteReason.StillMuted),
        new Case("weekend mute over", Pending("pager") with { SinceMs = Ms(Saturday) }, Monday0850, UnmuteReason.Unmuted),
        new Case("resolved meanwhile", Pending() with { Status = AlertStatus.Resolved }, Monday0900, UnmuteReason.Resolved),
        new Case("resolved while still muted", Pending() with { Status = AlertStatus.Resolved }, Monday0850, UnmuteReason.Resolved),
        new Case("inhibited meanwhile", Pending() with { InhibitedBy = 7 }, Monday0900, UnmuteReason.Inhibited),
        new Case("acknowledged for good", Pending() with { Acknowledged = true }, Monday0900, UnmuteReason.Acknowledged),
        new Case("acknowledged until later", Pending() with { Acknowledged = true, AckExpiresAtMs = Ms(Monday0900.AddHours(1)) }, Monday0900, UnmuteReason.Acknowledged),
        new Case("acknowledgement expired", Pending() with { Acknowledged = true, AckExpiresAtMs = Ms(Monday0900) }, Monday0900, UnmuteReason.Unmuted),
        new Case("silenced", Pending() with { SilenceEndsAtMs = Ms(Monday0900.AddHours(2)) }, Monday0900, UnmuteReason.Silenced),
        new Case("silence ended", Pending() with { SilenceEndsAtMs = Ms(Monday0900) }, Monday0900, UnmuteReason.Unmuted),
        new Case("receiver no longer routed", Pending("ops"), Monday0900, UnmuteReason.NotRouted),
        new Case("labels route elsewhere now", Pending("pager", severity: "info"), Monday0900, UnmuteReason.NotRouted),
        new Case("intervals removed by a reload", Pending(), Monday0850, UnmuteReason.NoIntervals, NoIntervals));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_ReturnsTheReason(Case c) => Assert.Equal(c.Reason, UnmuteStage.Decide(c.Config ?? Config, c.Pending, c.Now));

    [Fact]
    public void AnyDue_IsFalse_WhenEveryReceiverIsStillMuted()
    {
        Assert.False(UnmuteStage.AnyDue(Config, [Pending(), Pending() with { OccurrenceId = 2 }], Monday0850));
        Assert.False(UnmuteStage.AnyDue(Config, [], Monday0900));
        Assert.True(UnmuteStage.AnyDue(Config, [Pending(), Pending() with { OccurrenceId = 2, Status = AlertStatus.Resolved }], Monday0850));
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Heartbeats;
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>The pure heartbeat decisions as tables: which heartbeats an alert feeds, and when one is missing, waiting or back.</summary>
public sealed class HeartbeatStageTests
{
    private static readonly long B = UnixMillis.From(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private static readonly Heartbeat Prometheus = new("prometheus", [Matcher.Create("alertname", MatchType.Equal, "Watchdog")], TimeSpan.FromMinutes(5), "ops");

    private static readonly Heartbeat Blackbox = new("blackbox",
        [Matcher.Create("alertname", MatchType.Equal, "Watchdog"), Matcher.Create("source", MatchType.Regex, "black.*")], TimeSpan.FromMinutes(5), "ops");

    /// <summary>Minutes after the base instant, in epoch milliseconds.</summary>
    private static long M(double minutes) => B + (long)(minutes * 60_000);

    private static Alert Alert(AlertStatus status, params (string, string)[] labels)
    {
        var set = LabelSet.From(labels);
        return new Alert(Fingerprint.Of(set), status, set, LabelSet.Empty, UnixMillis.ToDateTimeOffset(B), null, "");
    }

    public static TheoryData<string, Heartbeat[], Alert, string[]> SeenCases() => new()
    {
        { "a firing Watchdog feeds the heartbeat matching it", [Prometheus, Blackbox], Alert(AlertStatus.Firing, ("alertname", "Watchdog")), ["prometheus"] },
        { "every heartbeat it matches", [Prometheus, Blackbox], Alert(AlertStatus.Firing, ("alertname", "Watchdog"), ("source", "blackbox")), ["prometheus", "blackbox"] },
        { "a resolved one feeds none", [Prometheus], Alert(AlertStatus.Resolved, ("alertname", "Watchdog")), [] },
        { "another alert feeds none", [Prometheus], Alert(AlertStatus.Firing, ("alertname", "NodeDown")), [] },
        { "all matchers must match", [Blackbox], Alert(AlertStatus.Firing, ("alertname", "Watchdog"), ("source", "prometheus")), [] },
        { "no heartbeat configured", [], Alert(AlertStatus.Firing, ("alertname", "Watchdog")), [] },
    };

    [Theory]
    [MemberData(nameof(SeenCases))]
    public void Seen_NamesTheHeartbeatsFed_WhenAnAlertArrives(string name, Heartbeat[] heartbeats, Alert alert, string[] expected)
    {
        Assert.True(expected.SequenceEqual(HeartbeatStage.Seen(heartbeats, alert)), name);
    }

    /// <summary>Watching began at M(0); the timeout is 5 minutes.</summary>
    public static TheoryData<string, long?, long?, long, HeartbeatVerdict, HeartbeatStatus, long?> DecideCases() => new()
    {
        { "seen 2m ago: well until seen + timeout", M(10), null, M(12), HeartbeatVerdict.None, HeartbeatStatus.Ok, M(15) },
        { "1 ms before the deadline: still well", M(10), null, M(15) - 1, HeartbeatVerdict.None, HeartbeatStatus.Ok, M(15) },
        { "at the deadline: missing", M(10), null, M(15), HeartbeatVerdict.Missing, HeartbeatStatus.Missing, null },
        { "never seen: waits one timeout after watching began", null, null, M(4), HeartbeatVerdict.None, HeartbeatStatus.Waiting, M(5) },
        { "never seen, one timeout after watching began: missing", null, null, M(5), HeartbeatVerdict.Missing, HeartbeatStatus.Missing, null },
        { "relay down longer than the timeout: the restart grace", M(-20), null, M(3), HeartbeatVerdict.None, HeartbeatStatus.Waiting, M(5) },
        { "relay down longer than the timeout, grace over: missing", M(-20), null, M(5), HeartbeatVerdict.Missing, HeartbeatStatus.Missing, null },
        { "relay down shorter than the timeout: the usual deadline", M(-2), null, M(2), HeartbeatVerdict.None, HeartbeatStatus.Ok, M(3) },
        { "relay down shorter than the timeout, deadline passed: missing", M(-2), null, M(3), HeartbeatVerdict.Missing, HeartbeatStatus.Missing, null },
        { "missing and not seen since: nothing to do", M(0), M(5), M(30), HeartbeatVerdict.None, HeartbeatStatus.Missing, null },
        { "missing, seen at the instant it went missing: not back", M(5), M(5), M(30), HeartbeatVerdict.None, HeartbeatStatus.Missing, null },
        { "missing, then seen: back", M(6), M(5), M(7), HeartbeatVerdict.Back, HeartbeatStatus.Ok, M(11) },
    };

    [Theory]
    [MemberData(nameof(DecideCases))]
    public void Decide_ReturnsTheVerdict_WhenTheHeartbeatStandsSo(
        string name, long? lastSeenMs, long? missingSinceMs, long nowMs, HeartbeatVerdict verdict, HeartbeatStatus status, long? dueAtMs)
    {
        var decision = HeartbeatStage.Decide(Prometheus, new HeartbeatState("prometheus", lastSeenMs, missingSinceMs), nowMs, watchingSinceMs: M(0));

        Assert.True((verdict, status, dueAtMs) == (decision.Verdict, decision.Status, decision.DueAtMs), $"{name}: {decision}");
    }

    [Theory]
    [InlineData(null, "never seen since watching began at 2026-12-04T12:00:00.000Z")]
    [InlineData(-20.0, "last seen at 2026-12-04T11:40:00.000Z, not since watching began at 2026-12-04T12:00:00.000Z")]
    [InlineData(1.0, "last seen at 2026-12-04T12:01:00.000Z")]
    public void Decide_ReasonNamesTheLastTimeSeen_WhenMissing(double? lastSeenMinutes, string expected)
    {
        var lastSeen = lastSeenMinutes is { } minutes ? M(minutes) : (long?)null;

        var decision = HeartbeatStage.Decide(Prometheus, new HeartbeatState("prometheus", lastSeen, null), M(60), watchingSinceMs: M(0));

        Assert.StartsWith(expected + ", timeout 5m passed at ", decision.Reason);
    }

    [Fact]
    public void Unwatched_NamesMissingHeartbeatsNoLongerConfigured_WhenAReloadRemovedThem()
    {
        HeartbeatState[] states = [new("prometheus", M(0), M(5)), new("removed", M(0), M(5)), new("removed-well", M(0), null)];

        Assert.Equal(["removed"], HeartbeatStage.Unwatched([Prometheus], states).Select(s => s.Name));
    }
}

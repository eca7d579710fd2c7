using AlertRelay.Core.Alerts;
using AlertRelay.Core.Heartbeats;
using Microsoft.Extensions.Time.Testing;
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>Since when a process watches each heartbeat: the restart grace counts from there.</summary>
public sealed class HeartbeatWatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static Heartbeat Heartbeat(string name) => new(name, [Matcher.Create("alertname", MatchType.Equal, "Watchdog")], TimeSpan.FromMinutes(1), "ops");

    [Fact]
    public void Since_IsTheProcessStart_WhenTheFirstPassFindsTheHeartbeatConfigured()
    {
        var time = new FakeTimeProvider(T0);
        var watch = new HeartbeatWatch(time);
        time.Advance(TimeSpan.FromSeconds(7)); // the first pass comes a little after start-up

        var report = Assert.Single(watch.Judge([Heartbeat("prometheus")], [], UnixMillis.From(time.GetUtcNow())));

        Assert.Equal(UnixMillis.From(T0), report.WatchingSinceMs);
    }

    [Fact]
    public void Since_IsTheFirstPassThatFindsIt_WhenAReloadAddedTheHeartbeat()
    {
        var time = new FakeTimeProvider(T0);
        var watch = new HeartbeatWatch(time);
        watch.Judge([Heartbeat("prometheus")], [], UnixMillis.From(T0));
        var reloadedMs = UnixMillis.From(T0.AddHours(2));

        var reports = watch.Judge([Heartbeat("prometheus"), Heartbeat("blackbox")], [], reloadedMs);

        Assert.Equal([UnixMillis.From(T0), reloadedMs], reports.Select(r => r.WatchingSinceMs));
        Assert.Equal(HeartbeatStatus.Waiting, reports[1].Decision.Status);
    }
}

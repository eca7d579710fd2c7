using System.Collections.Concurrent;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// Since when this process has watched each heartbeat: since it started (made with the writer) for the heartbeats its first pass
/// finds configured, since the first pass that finds it for one a reload added. The restart grace of <see cref="HeartbeatStage.Decide"/>
/// counts from here. One per process.
/// </summary>
public sealed class HeartbeatWatch(TimeProvider time)
{
    private readonly long _startedMs = UnixMillis.From(time.GetUtcNow());
    private readonly ConcurrentDictionary<string, long> _since = new(StringComparer.Ordinal);
    private volatile bool _judged;

    /// <summary>When watching <paramref name="heartbeat"/> began: process start before the first pass, else the first pass that asks.</summary>
    public long Since(string heartbeat, long nowMs) => _since.GetOrAdd(heartbeat, _judged ? nowMs : Math.Min(_startedMs, nowMs));

    /// <summary>Decides every configured heartbeat against its stored state (<see cref="HeartbeatStage.Decide"/>), in configuration order.</summary>
    public IReadOnlyList<HeartbeatReport> Judge(IReadOnlyList<Heartbeat> heartbeats, IReadOnlyList<HeartbeatState> states, long nowMs)
    {
        var reports = new List<HeartbeatReport>(heartbeats.Count);
        foreach (var heartbeat in heartbeats)
        {
            var state = states.FirstOrDefault(s => string.Equals(s.Name, heartbeat.Name, StringComparison.Ordinal)) ?? HeartbeatState.Unknown(heartbeat.Name);
            var since = Since(heartbeat.Name, nowMs);
            reports.Add(new HeartbeatReport(heartbeat, state, HeartbeatStage.Decide(heartbeat, state, nowMs, since), since));
        }

        _judged = true;
        return reports;
    }
}

using System.Collections.Concurrent;

namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// Since when this process has watched each heartbeat: its first pass after start-up, or the first pass after a reload that added
/// it. The restart grace of <see cref="HeartbeatStage.Decide"/> counts from here. One per process.
/// </summary>
public sealed class HeartbeatWatch
{
    private readonly ConcurrentDictionary<string, long> _since = new(StringComparer.Ordinal);

    /// <summary>When watching <paramref name="heartbeat"/> began; the first call for a name sets it to <paramref name="nowMs"/>.</summary>
    public long Since(string heartbeat, long nowMs) => _since.GetOrAdd(heartbeat, nowMs);

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

        return reports;
    }
}

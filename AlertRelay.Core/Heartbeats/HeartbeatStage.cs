using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Heartbeats;

/// <summary>The heartbeat decisions, pure: which heartbeats an alert feeds, and whether a heartbeat has gone missing or is back.</summary>
public static class HeartbeatStage
{
    /// <summary>
    /// The heartbeats a firing alert matching all of their matchers feeds. Re-sends count (Alertmanager re-sends the Watchdog every
    /// repeat interval): the chain asks before deduplication. Empty, and free, when no heartbeat is configured.
    /// </summary>
    public static IReadOnlyList<string> Seen(IReadOnlyList<Heartbeat> heartbeats, Alert alert)
    {
        if (heartbeats.Count == 0 || alert.Status != AlertStatus.Firing)
        {
            return [];
        }

        List<string>? seen = null;
        foreach (var heartbeat in heartbeats)
        {
            if (heartbeat.Matchers.All(m => m.Matches(alert.Labels.Get(m.Name))))
            {
                (seen ??= []).Add(heartbeat.Name);
            }
        }

        return seen ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// Decides one heartbeat at <paramref name="nowMs"/>. The deadline is the last time seen + the timeout; when it was never seen, or
    /// its deadline passed before AlertRelay started watching it (<paramref name="watchingSinceMs"/>: the relay itself was down longer
    /// than the timeout, or the heartbeat is new), the deadline is one timeout after watching began (the restart grace: no false
    /// alarm for a silence AlertRelay could not hear). A missing heartbeat is back once seen after its HeartbeatMissing started.
    /// </summary>
    public static HeartbeatDecision Decide(Heartbeat heartbeat, HeartbeatState state, long nowMs, long watchingSinceMs)
    {
        var timeoutMs = (long)heartbeat.Timeout.TotalMilliseconds;
        if (state.MissingStartsAtMs is { } missingSince)
        {
            return state.LastSeenMs is { } seen && seen > missingSince
                ? new HeartbeatDecision(HeartbeatVerdict.Back, HeartbeatStatus.Ok, seen + timeoutMs,
                    $"seen at {Format(seen)}, after it went missing at {Format(missingSince)}")
                : new HeartbeatDecision(HeartbeatVerdict.None, HeartbeatStatus.Missing, null, $"missing since {Format(missingSince)}");
        }

        var grace = state.LastSeenMs is not { } lastSeen || lastSeen + timeoutMs < watchingSinceMs;
        var dueMs = grace ? watchingSinceMs + timeoutMs : state.LastSeenMs!.Value + timeoutMs;
        var since = state.LastSeenMs is { } last && !grace ? $"last seen at {Format(last)}" : NeverSince(state, watchingSinceMs);
        if (nowMs >= dueMs)
        {
            return new HeartbeatDecision(HeartbeatVerdict.Missing, HeartbeatStatus.Missing, null,
                $"{since}, timeout {PrometheusText(heartbeat.Timeout)} passed at {Format(dueMs)}");
        }

        return new HeartbeatDecision(HeartbeatVerdict.None, grace ? HeartbeatStatus.Waiting : HeartbeatStatus.Ok, dueMs,
            grace ? $"{since}: waiting one timeout, until {Format(dueMs)}" : $"{since}, due by {Format(dueMs)}");
    }

    /// <summary>Stored heartbeats that are missing but no longer configured (a reload removed them): their HeartbeatMissing resolves.</summary>
    public static IReadOnlyList<HeartbeatState> Unwatched(IReadOnlyList<Heartbeat> heartbeats, IReadOnlyList<HeartbeatState> states) =>
        states.Where(s => s.MissingStartsAtMs is not null && !heartbeats.Any(h => string.Equals(h.Name, s.Name, StringComparison.Ordinal))).ToList();

    private static string NeverSince(HeartbeatState state, long watchingSinceMs) => state.LastSeenMs is { } last
        ? $"last seen at {Format(last)}, not since watching began at {Format(watchingSinceMs)}"
        : $"never seen since watching began at {Format(watchingSinceMs)}";

    private static string PrometheusText(TimeSpan timeout) => Configuration.PrometheusDuration.Format(timeout);

    private static string Format(long ms) => Rfc3339.Format(UnixMillis.ToDateTimeOffset(ms));
}

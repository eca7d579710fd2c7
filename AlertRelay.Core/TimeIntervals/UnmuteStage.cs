using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.TimeIntervals;

/// <summary>
/// Decides what becomes of a receiver whose firing notification a route's time intervals held back, as Alertmanager re-runs a muted
/// group's pipeline at every <c>group_interval</c>: once its routes no longer mute it, a still-firing, unacknowledged, unsilenced,
/// uninhibited occurrence is notified; anything else ends the wait without a notification.
/// </summary>
public static class UnmuteStage
{
    /// <summary>The decision for <paramref name="pending"/> under <paramref name="config"/> at <paramref name="now"/>.</summary>
    public static UnmuteReason Decide(RelayConfig config, PendingUnmute pending, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pending);
        var nowMs = UnixMillis.From(now);
        if (pending.Status != AlertStatus.Firing)
        {
            return UnmuteReason.Resolved;
        }

        if (pending.InhibitedBy is not null)
        {
            return UnmuteReason.Inhibited;
        }

        if (pending.Acknowledged && (pending.AckExpiresAtMs is not { } expires || expires > nowMs))
        {
            return UnmuteReason.Acknowledged;
        }

        if (pending.SilenceEndsAtMs is { } silenceEnds && silenceEnds > nowMs)
        {
            return UnmuteReason.Silenced;
        }

        if (config.TimeIntervals.Count == 0)
        {
            return UnmuteReason.NoIntervals;
        }

        var selection = TimeMuteStage.Select(RoutingStage.Match(config.Route, pending.Labels), config.TimeIntervals, now);
        if (selection.Send.Contains(pending.Receiver, StringComparer.Ordinal))
        {
            return UnmuteReason.Unmuted;
        }

        return selection.Muted.Any(m => m.Receiver == pending.Receiver) ? UnmuteReason.StillMuted : UnmuteReason.NotRouted;
    }

    /// <summary>Whether any of <paramref name="pending"/> has something to do at <paramref name="now"/> (the pass's read-only precheck).</summary>
    public static bool AnyDue(RelayConfig config, IReadOnlyList<PendingUnmute> pending, DateTimeOffset now) =>
        pending.Any(p => Decide(config, p, now) != UnmuteReason.StillMuted);
}

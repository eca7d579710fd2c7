using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// A receiver whose firing notification a route's time intervals held back (table <c>muted_receivers</c>), with what the unmute
/// pass needs of its occurrence: labels (to route again), status, inhibition, acknowledgement and silence.
/// </summary>
public sealed record PendingUnmute(
    long OccurrenceId, string Receiver, long SinceMs, LabelSet Labels, long StartsAtMs, AlertStatus Status, long? InhibitedBy,
    bool Acknowledged, long? AckExpiresAtMs, long? SilenceEndsAtMs)
{
    /// <summary>The occurrence as a firing alert (the plan of the pass carries it).</summary>
    public Alert ToAlert() => new(Fingerprint.Of(Labels), AlertStatus.Firing, Labels, LabelSet.Empty, UnixMillis.ToDateTimeOffset(StartsAtMs), null, "");
}

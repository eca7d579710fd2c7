namespace AlertRelay.Core.Dedup;

/// <summary>What an incoming alert changes about its occurrence; <see cref="None"/> means a duplicate.</summary>
[Flags]
public enum AlertChange
{
    /// <summary>Nothing new: a re-send, a group re-notification or an HA twin.</summary>
    None = 0,

    /// <summary>A new occurrence, first seen.</summary>
    Received = 1,

    /// <summary>A new occurrence of a fingerprint that fired before (a new startsAt).</summary>
    Refired = 2,

    /// <summary>The occurrence resolved.</summary>
    Resolved = 4,

    /// <summary>The annotations differ from the stored ones.</summary>
    AnnotationsChanged = 8,

    /// <summary>A resolved occurrence is firing again with the same startsAt (Alertmanager does this after resolve_timeout).</summary>
    Reopened = 16,

    /// <summary>
    /// A first copy of an occurrence older than the newest of its fingerprint arrived firing (a late HA twin, a retried
    /// webhook): a fingerprint fires once at a time, so it is stored as history, ended when the newest started.
    /// </summary>
    Superseded = 32,

    /// <summary>
    /// A resolved occurrence arrived firing with the same startsAt while re-opens wait for a grace period: a re-open
    /// candidate. It stays resolved until the grace ends (then <see cref="Reopened"/>), unless a resolve comes first.
    /// </summary>
    ReopenPending = 64,

    /// <summary>
    /// A re-open candidate is cancelled: a resolved copy came within the grace period (the firing copy was a stale HA
    /// snapshot), or a newer occurrence of the fingerprint replaced it. Nothing is notified.
    /// </summary>
    StaleCopy = 128,

    /// <summary>
    /// Not a copy of the alert: the unmute pass found that a time interval muting one of its receivers ended while it still fires
    /// (the receiver is notified now). The occurrence's row is not changed.
    /// </summary>
    Unmuted = 256,
}

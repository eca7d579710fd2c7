namespace AlertRelay.Core.History;

/// <summary>The <c>kind</c> values of <c>alert_events</c>. The column is open text: later stages add their own.</summary>
public static class EventKinds
{
    public const string Received = "received";
    public const string Refired = "refired";
    public const string Resolved = "resolved";
    public const string AnnotationsChanged = "annotations_changed";
    public const string Reopened = "reopened";

    /// <summary>A resolved occurrence arrived firing: a re-open candidate, confirmed (<see cref="Reopened"/>) when its grace ends.</summary>
    public const string ReopenPending = "reopen_pending";

    /// <summary>A re-open candidate cancelled: a resolve came within the grace (the firing copy was stale), or a newer occurrence replaced it.</summary>
    public const string StaleCopy = "stale_copy";
    public const string Routed = "routed";
    public const string Inhibited = "inhibited";
    public const string Uninhibited = "uninhibited";
    public const string Escalated = "escalated";

    /// <summary>A route or an escalation step paged the person on call of a schedule (detail: schedule, participant, via, step).</summary>
    public const string Paged = "paged";

    /// <summary>An escalation policy's <c>repeat</c> reminded who was told the occurrence fires (detail: policy, reminder number, firing for).</summary>
    public const string Reminded = "reminded";

    /// <summary>A route's time intervals held back a firing notification to a receiver (detail: receiver, intervals, reason); see <see cref="Unmuted"/>.</summary>
    public const string Muted = "muted";

    /// <summary>A receiver's time interval mute ended while the occurrence still fired: it was notified then (detail: receiver, mutedSince).</summary>
    public const string Unmuted = "unmuted";
    public const string Acknowledged = "acknowledged";
    public const string Unacknowledged = "unacknowledged";

    /// <summary>An Alertmanager silence was created for the occurrence from AlertRelay (detail: silenceId, by, byId, via, endsAt, comment).</summary>
    public const string Silenced = "silenced";

    /// <summary>The occurrence's silence ended (detail: silenceId, reason: expired | deleted in Alertmanager | unsilenced, and by whom).</summary>
    public const string Unsilenced = "unsilenced";
    public const string Notified = "notified";
    public const string NotificationRetry = "notification_retry";
    public const string NotificationFailed = "notification_failed";
}

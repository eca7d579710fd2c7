namespace AlertRelay.Core.History;

/// <summary>The <c>kind</c> values of <c>alert_events</c>. The column is open text: later stages add their own.</summary>
public static class EventKinds
{
    public const string Received = "received";
    public const string Refired = "refired";
    public const string Resolved = "resolved";
    public const string AnnotationsChanged = "annotations_changed";
    public const string Reopened = "reopened";
    public const string Routed = "routed";
    public const string Inhibited = "inhibited";
    public const string Uninhibited = "uninhibited";
    public const string Escalated = "escalated";
    public const string Acknowledged = "acknowledged";
    public const string Unacknowledged = "unacknowledged";
    public const string Notified = "notified";
    public const string NotificationRetry = "notification_retry";
    public const string NotificationFailed = "notification_failed";
}

using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Pipeline;

/// <summary>An integration to tell about one occurrence (before the message's notifications are grouped into digests).</summary>
public sealed record PlannedNotification(long OccurrenceId, NotificationTarget Target, NotificationKind Kind);

using AlertRelay.Core.Notify;
using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Pipeline;

/// <summary>An integration to tell about one occurrence (before the message's notifications are grouped into digests), and who it pages.</summary>
/// <param name="Page">The person on call this notification pages (a route to <c>oncall:&lt;schedule&gt;</c>), or <see langword="null"/>.</param>
public sealed record PlannedNotification(long OccurrenceId, NotificationTarget Target, NotificationKind Kind, OncallPage? Page = null);

using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify;

/// <summary>A notification to put in the outbox: one integration, why, the occurrences it is about, a digest's summary, and who it pages.</summary>
/// <param name="Page">The person on call it pages (stored as <c>paged_schedule</c> / <c>paged_participant</c>), or <see langword="null"/>.</param>
public sealed record QueuedNotification(NotificationTarget Target, NotificationKind Kind, IReadOnlyList<long> OccurrenceIds, string? Detail, OncallPage? Page = null);

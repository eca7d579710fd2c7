namespace AlertRelay.Core.Notify;

/// <summary>A notification to put in the outbox: one integration, why, the occurrences it is about, and a digest's summary.</summary>
public sealed record QueuedNotification(NotificationTarget Target, NotificationKind Kind, IReadOnlyList<long> OccurrenceIds, string? Detail);

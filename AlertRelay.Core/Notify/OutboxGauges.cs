namespace AlertRelay.Core.Notify;

/// <summary>The outbox at a glance, for its gauges: notifications waiting, dead letters, and when the oldest waiting one was queued.</summary>
public sealed record OutboxGauges(long Pending, long Dead, DateTimeOffset? OldestPendingCreatedAt);

namespace AlertRelay.Core.Ingest;

/// <summary>The inbox holds more unapplied alerts than <c>AlertRelay:Ingest:MaxBacklogAlerts</c>: the sender should retry later (HTTP 503).</summary>
public sealed class InboxFullException(long backlogAlerts, long maxBacklogAlerts, TimeSpan retryAfter)
    : Exception($"the inbox holds {backlogAlerts} alerts not applied yet (AlertRelay:Ingest:MaxBacklogAlerts is {maxBacklogAlerts})")
{
    /// <summary>When the backlog should be down again at the writer's recent pace (at least a second).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}

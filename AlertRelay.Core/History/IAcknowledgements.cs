namespace AlertRelay.Core.History;

/// <summary>Acknowledgements of occurrences, recorded with their timeline events (they stop escalation).</summary>
public interface IAcknowledgements
{
    Task<AckOutcome> AcknowledgeAsync(long id, string by, string? comment, DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    Task<AckOutcome> UnacknowledgeAsync(long id, string? by, DateTimeOffset now, CancellationToken cancellationToken);
}

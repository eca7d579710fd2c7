namespace AlertRelay.Core.History;

/// <summary>Deletes history older than the retention period; one pass at a time.</summary>
public interface IHistoryRetention
{
    /// <summary>One pass: deletes everything due. Returns (occurrences, notifications) deleted.</summary>
    Task<(long Occurrences, long Notifications)> RunOnceAsync(CancellationToken cancellationToken);
}

namespace AlertRelay.Core.Notify;

/// <summary>The outbox for the API: lists notifications and puts dead letters back in the queue, waking the dispatcher.</summary>
public sealed class OutboxQueries(IOutboxStore store, OutboxSignal signal)
{
    public const int MaxLimit = 1000;

    /// <summary>Notifications newest first, optionally by status; <paramref name="beforeId"/> continues a listing.</summary>
    public Task<IReadOnlyList<NotificationRecord>> ListAsync(string? status, int limit, long? beforeId, CancellationToken cancellationToken) =>
        store.ListAsync(status, Math.Clamp(limit, 1, MaxLimit), beforeId, cancellationToken);

    /// <summary>Queues a dead notification again, with its attempts reset.</summary>
    public async Task<RetryOutcome> RetryAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = await store.RequeueAsync(id, now, cancellationToken);
        if (outcome == RetryOutcome.Queued)
        {
            signal.Wake();
        }

        return outcome;
    }
}

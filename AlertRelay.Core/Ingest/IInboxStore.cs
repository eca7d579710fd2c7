namespace AlertRelay.Core.Ingest;

/// <summary>
/// Where accepted webhook bodies are appended before the 2xx (the <c>inbox</c> table of the history database): one transaction
/// per group of requests, on a connection of its own. The ingest writer takes the rows back in its own transactions
/// (<see cref="Pipeline.IIngestTransaction.TakeInbox"/>).
/// </summary>
public interface IInboxStore
{
    /// <summary>Appends the bodies in one transaction and returns their ids, in order, once committed.</summary>
    IReadOnlyList<long> Append(IReadOnlyList<InboxBody> bodies, long nowMs);

    /// <summary>What is waiting to be applied, read from the store (on a connection of its own: callable beside an append).</summary>
    InboxBacklog ReadBacklog();

    /// <summary>Whether an error concerns the whole store (disk full, read-only, locked) rather than one body.</summary>
    bool IsStoreFailure(Exception exception);

    /// <summary>Drops the connection after a failure.</summary>
    void Reset();
}

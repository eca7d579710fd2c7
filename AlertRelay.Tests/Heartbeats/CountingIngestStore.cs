using AlertRelay.Core.Pipeline;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>An ingest store that counts the transactions begun on it, by kind.</summary>
public sealed class CountingIngestStore(IIngestStore inner) : IIngestStore
{
    private int _reads;
    private int _writes;

    public int Reads => Volatile.Read(ref _reads);

    public int Writes => Volatile.Read(ref _writes);

    public IIngestTransaction Begin(bool write)
    {
        Interlocked.Increment(ref write ? ref _writes : ref _reads);
        return inner.Begin(write);
    }

    public bool IsStoreFailure(Exception exception) => inner.IsStoreFailure(exception);

    public void Reset() => inner.Reset();
}

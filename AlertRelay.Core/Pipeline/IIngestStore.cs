namespace AlertRelay.Core.Pipeline;

/// <summary>The store the ingest writer persists plans into (SQLite in <see cref="History"/>).</summary>
public interface IIngestStore
{
    /// <summary>Begins a transaction: a write transaction, or a read one to fill the in-memory state at start-up.</summary>
    IIngestTransaction Begin(bool write);

    /// <summary>Whether an error concerns the whole store (disk full, read-only, locked, corrupt) rather than one message.</summary>
    bool IsStoreFailure(Exception exception);

    /// <summary>Drops what the store keeps between transactions (connection, prepared statements) after a failure.</summary>
    void Reset();
}

namespace AlertRelay.Core.Ingest;

/// <summary>
/// A webhook body durably in the inbox: its id, and a task that completes when the writer has applied it (its counts), or
/// with <see langword="null"/> when the chain could not apply it (the row is kept as failed). <paramref name="Alone"/>: nothing else
/// was waiting in the inbox when it was appended (the writer applies it next, at once).
/// </summary>
public sealed record InboxReceipt(long Id, int Alerts, Task<IngestResult?> Applied, bool Alone);

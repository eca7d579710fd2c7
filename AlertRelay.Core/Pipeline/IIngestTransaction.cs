using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// One ingest batch's transaction: the chain reads through it and persists its plans in it; nothing is visible to
/// anyone else before <see cref="Commit"/>. Each webhook message is applied between <see cref="BeginMessage"/> and
/// <see cref="EndMessage"/>, and <see cref="UndoMessage"/> takes back that message's writes alone.
/// </summary>
public interface IIngestTransaction : IIngestReader, IDisposable
{
    /// <summary>
    /// Writes one alert's plan. Throws <see cref="OccurrenceConflictException"/> when the store contradicts the state the
    /// plan was made against (the identity is already stored, a row to change is gone): the message is then planned again.
    /// </summary>
    void Persist(AlertPlan plan);

    /// <summary>Queues a message's notifications in the outbox, in this transaction (a transactional outbox).</summary>
    void Persist(IReadOnlyList<QueuedNotification> notifications, long nowMs);

    /// <summary>Records that firing alerts matching these heartbeats arrived at <paramref name="nowMs"/> (the last time seen only moves forward).</summary>
    void RecordHeartbeatsSeen(IReadOnlyCollection<string> heartbeats, long nowMs);

    /// <summary>Sets the startsAt of a heartbeat's open HeartbeatMissing occurrence (null: it is well again).</summary>
    void SaveHeartbeat(string heartbeat, long? missingStartsAtMs, long nowMs);

    /// <summary>
    /// The oldest inbox rows neither applied nor failed, at most <paramref name="maxRows"/>, in id order. Read inside the write
    /// transaction, after which no other writer can take them (PostgreSQL: after the ingest clock's turn).
    /// </summary>
    IReadOnlyList<InboxEntry> TakeInbox(int maxRows);

    /// <summary>The body of an inbox row (when the writer does not hold it parsed already).</summary>
    byte[] LoadInboxBody(long id);

    /// <summary>
    /// The rows taken (applied, or failed first with <see cref="FailInbox"/>) are done, in this transaction: applied exactly once,
    /// whatever crashes when.
    /// </summary>
    void CompleteInbox(IReadOnlyList<long> ids);

    /// <summary>Keeps an inbox row the chain could not apply for inspection (with the error); it is never taken again.</summary>
    void FailInbox(long id, string error, long nowMs);

    void BeginMessage();

    void EndMessage();

    void UndoMessage();

    void Commit();
}

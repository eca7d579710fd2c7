using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>
/// The id up to which the ingest writer has applied the SQLite inbox, as this process knows it: read from <c>inbox_progress</c> at
/// start, then published by the writer after each commit. The appender deletes the rows up to it and counts the backlog past it.
/// </summary>
public sealed class SqliteInboxMark
{
    private long _appliedThrough;

    public long AppliedThrough => Interlocked.Read(ref _appliedThrough);

    /// <summary>Moves the mark forward (never back).</summary>
    public void Set(long appliedThrough) => InterlockedMax.Raise(ref _appliedThrough, appliedThrough);
}

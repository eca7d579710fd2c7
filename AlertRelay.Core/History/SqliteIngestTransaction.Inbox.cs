using AlertRelay.Core.Ingest;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>
/// The inbox rows the writer takes and applies: read from the inbox file (rows there never change once committed), and passed in
/// this transaction by moving <c>inbox_progress.applied_through</c> past them, so that they are applied exactly once whatever
/// crashes when. The appender deletes them from the file later.
/// </summary>
internal sealed partial class SqliteIngestTransaction
{
    private long? _appliedThrough;

    public IReadOnlyList<InboxEntry> TakeInbox(int maxRows) =>
        _inbox.Value.Query<(long Id, long ReceivedAtMs, long Alerts)>(
            "SELECT id, received_at_ms, alerts FROM inbox WHERE id > @applied ORDER BY id LIMIT @maxRows",
            new { applied = AppliedThrough(), maxRows }).Select(r => new InboxEntry(r.Id, r.ReceivedAtMs, (int)r.Alerts)).ToList();

    public byte[] LoadInboxBody(long id) =>
        _inbox.Value.QuerySingle<byte[]>("SELECT body FROM inbox WHERE id = @id", new { id });

    public void CompleteInbox(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        // One writer, and the appender's ids grow in commit order: every row up to the last one taken has been taken.
        _appliedThrough = ids.Max();
        _connection.Execute("UPDATE inbox_progress SET applied_through = @last WHERE id = 1", new { last = _appliedThrough }, _transaction);
    }

    public void FailInbox(long id, string error, long nowMs)
    {
        var (receivedAtMs, alerts, body) = _inbox.Value.QuerySingle<(long, long, byte[])>(
            "SELECT received_at_ms, alerts, body FROM inbox WHERE id = @id", new { id });
        _connection.Execute(
            """
            INSERT INTO inbox_failed (id, received_at_ms, alerts, body, failed_at_ms, error)
            VALUES (@id, @receivedAtMs, @alerts, @body, @nowMs, @error)
            """,
            new { id, receivedAtMs, alerts, body, nowMs, error }, _transaction);
    }

    private long AppliedThrough() =>
        _appliedThrough ??= _connection.ExecuteScalar<long>("SELECT applied_through FROM inbox_progress WHERE id = 1", transaction: _transaction);

    /// <summary>After the commit: the appender may delete what was applied.</summary>
    private void PublishInboxMark()
    {
        if (_appliedThrough is { } applied)
        {
            _inboxMark.Set(applied);
        }
    }
}

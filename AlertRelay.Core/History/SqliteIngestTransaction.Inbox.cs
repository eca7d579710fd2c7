using AlertRelay.Core.Ingest;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>The inbox rows the writer takes, applies and deletes in its transaction.</summary>
internal sealed partial class SqliteIngestTransaction
{
    public IReadOnlyList<InboxEntry> TakeInbox(int maxRows) =>
        _connection.Query<(long Id, long ReceivedAtMs, long Alerts)>(
            "SELECT id, received_at_ms, alerts FROM inbox WHERE failed_at_ms IS NULL ORDER BY id LIMIT @maxRows",
            new { maxRows }, _transaction).Select(r => new InboxEntry(r.Id, r.ReceivedAtMs, (int)r.Alerts)).ToList();

    public byte[] LoadInboxBody(long id) =>
        _connection.QuerySingle<byte[]>("SELECT body FROM inbox WHERE id = @id", new { id }, _transaction);

    public void DeleteInbox(IReadOnlyList<long> ids)
    {
        if (ids.Count == 0)
        {
            return;
        }

        // One writer: nothing can insert below the largest id taken while this transaction holds the write lock, and failed rows stay.
        _connection.Execute(
            "DELETE FROM inbox WHERE id >= @first AND id <= @last AND failed_at_ms IS NULL",
            new { first = ids.Min(), last = ids.Max() }, _transaction);
    }

    public void FailInbox(long id, string error, long nowMs) =>
        _connection.Execute(
            "UPDATE inbox SET failed_at_ms = @nowMs, error = @error WHERE id = @id", new { id, error, nowMs }, _transaction);
}

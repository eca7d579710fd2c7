using AlertRelay.Core.Ingest;
using Dapper;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The inbox rows the writer takes, applies and deletes in its transaction on PostgreSQL. Replicas append concurrently, so
/// ids commit out of order: rows are deleted by id, never by range, and a row committed late is taken by a later batch.
/// Write transactions take turns on the ingest clock, so two replicas' writers never take the same row.
/// </summary>
internal sealed partial class PostgresIngestTransaction
{
    public IReadOnlyList<InboxEntry> TakeInbox(int maxRows) =>
        _connection.Query<(long Id, long ReceivedAtMs, long Alerts)>(
            "SELECT id, received_at_ms, alerts FROM inbox WHERE failed_at_ms IS NULL ORDER BY id LIMIT @maxRows",
            new { maxRows }, Sent()).Select(r => new InboxEntry(r.Id, r.ReceivedAtMs, (int)r.Alerts)).ToList();

    public byte[] LoadInboxBody(long id) =>
        _connection.QuerySingle<byte[]>("SELECT body FROM inbox WHERE id = @id", new { id }, Sent());

    public void CompleteInbox(IReadOnlyList<long> ids)
    {
        if (ids.Count > 0)
        {
            _pending.Add("DELETE FROM inbox WHERE id = ANY($1) AND failed_at_ms IS NULL", null, (ids.ToArray(), Bigint | NpgsqlDbType.Array));
        }
    }

    public void FailInbox(long id, string error, long nowMs) =>
        _pending.Add("UPDATE inbox SET failed_at_ms = $2, error = $3 WHERE id = $1", null, (id, Bigint), (nowMs, Bigint), (error, Text));
}

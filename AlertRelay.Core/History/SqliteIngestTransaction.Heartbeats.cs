using AlertRelay.Core.Heartbeats;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>The heartbeat state (table <c>heartbeats</c>) in the ingest transaction on SQLite.</summary>
internal sealed partial class SqliteIngestTransaction
{
    public IReadOnlyList<HeartbeatState> LoadHeartbeats() =>
        _connection.Query<(string Name, long? LastSeenMs, long? MissingStartsAtMs)>(
                "SELECT name, last_seen_ms, missing_starts_at_ms FROM heartbeats ORDER BY name", transaction: _transaction)
            .Select(r => new HeartbeatState(r.Name, r.LastSeenMs, r.MissingStartsAtMs))
            .ToList();

    public void RecordHeartbeatsSeen(IReadOnlyCollection<string> heartbeats, long nowMs) =>
        _connection.Execute(
            """
            INSERT INTO heartbeats (name, last_seen_ms, updated_at_ms) VALUES (@Name, @Now, @Now)
            ON CONFLICT (name) DO UPDATE SET last_seen_ms = max(coalesce(last_seen_ms, excluded.last_seen_ms), excluded.last_seen_ms),
                                             updated_at_ms = excluded.updated_at_ms
            """,
            heartbeats.Select(name => new { Name = name, Now = nowMs }), _transaction);

    public void SaveHeartbeat(string heartbeat, long? missingStartsAtMs, long nowMs) =>
        _connection.Execute(
            """
            INSERT INTO heartbeats (name, missing_starts_at_ms, updated_at_ms) VALUES (@Name, @Missing, @Now)
            ON CONFLICT (name) DO UPDATE SET missing_starts_at_ms = excluded.missing_starts_at_ms, updated_at_ms = excluded.updated_at_ms
            """,
            new { Name = heartbeat, Missing = missingStartsAtMs, Now = nowMs }, _transaction);
}

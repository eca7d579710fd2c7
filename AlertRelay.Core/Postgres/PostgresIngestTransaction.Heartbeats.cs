using AlertRelay.Core.Heartbeats;
using Dapper;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The heartbeat state (table <c>heartbeats</c>) in the ingest transaction on PostgreSQL. Write transactions of every replica take
/// turns on the ingest clock, so a pass reads the state another replica's pass committed: one HeartbeatMissing occurrence in all.
/// </summary>
internal sealed partial class PostgresIngestTransaction
{
    public IReadOnlyList<HeartbeatState> LoadHeartbeats() =>
        _connection.Query<(string Name, long? LastSeenMs, long? MissingStartsAtMs)>(
                "SELECT name, last_seen_ms, missing_starts_at_ms FROM heartbeats ORDER BY name", transaction: Sent())
            .Select(r => new HeartbeatState(r.Name, r.LastSeenMs, r.MissingStartsAtMs))
            .ToList();

    public void RecordHeartbeatsSeen(IReadOnlyCollection<string> heartbeats, long nowMs) =>
        _pending.Add(
            """
            INSERT INTO heartbeats (name, last_seen_ms, updated_at_ms) SELECT n, $2, $2 FROM unnest($1) AS h(n)
            ON CONFLICT (name) DO UPDATE SET last_seen_ms = greatest(heartbeats.last_seen_ms, excluded.last_seen_ms),
                                             updated_at_ms = excluded.updated_at_ms
            """, null,
            (heartbeats.ToArray(), Text | NpgsqlDbType.Array), (nowMs, Bigint));

    public void SaveHeartbeat(string heartbeat, long? missingStartsAtMs, long nowMs) =>
        _pending.Add(
            """
            INSERT INTO heartbeats (name, missing_starts_at_ms, updated_at_ms) VALUES ($1, $2, $3)
            ON CONFLICT (name) DO UPDATE SET missing_starts_at_ms = excluded.missing_starts_at_ms, updated_at_ms = excluded.updated_at_ms
            """, null,
            (heartbeat, Text), (missingStartsAtMs, Bigint), (nowMs, Bigint));
}

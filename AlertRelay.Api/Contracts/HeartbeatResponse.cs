namespace AlertRelay.Api.Contracts;

/// <summary>
/// One heartbeat in <c>GET /api/heartbeats</c>: its configuration, when a matching alert last arrived, and how it stands
/// (<c>ok</c>, <c>missing</c>, or <c>waiting</c> while the restart grace runs), as of the latest heartbeat pass
/// (<see cref="CheckedAt"/>); <see cref="DueAt"/> is when it goes missing unless seen again.
/// </summary>
public sealed record HeartbeatResponse(
    string Name, string Timeout, string Receiver, DateTimeOffset? LastSeen, string Status, DateTimeOffset? MissingSince, DateTimeOffset? DueAt, string Reason,
    DateTimeOffset? CheckedAt);

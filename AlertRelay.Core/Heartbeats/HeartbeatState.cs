namespace AlertRelay.Core.Heartbeats;

/// <summary>
/// What the store holds for one heartbeat (table <c>heartbeats</c>): when a firing alert matching it last arrived, and the startsAt
/// of its open HeartbeatMissing occurrence (null while it is well).
/// </summary>
public sealed record HeartbeatState(string Name, long? LastSeenMs, long? MissingStartsAtMs)
{
    /// <summary>A heartbeat the store knows nothing of yet (never seen, never missing).</summary>
    public static HeartbeatState Unknown(string name) => new(name, null, null);
}

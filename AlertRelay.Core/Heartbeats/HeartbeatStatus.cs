namespace AlertRelay.Core.Heartbeats;

/// <summary>How a heartbeat stands after a pass (what <c>GET /api/heartbeats</c> shows).</summary>
public enum HeartbeatStatus
{
    /// <summary>Seen within its timeout.</summary>
    Ok,

    /// <summary>Not judged yet: never seen, or last seen before AlertRelay started watching; the restart grace runs.</summary>
    Waiting,

    /// <summary>Its HeartbeatMissing occurrence is open (or opens in this pass).</summary>
    Missing,
}

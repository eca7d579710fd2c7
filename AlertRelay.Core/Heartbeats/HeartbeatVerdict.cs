namespace AlertRelay.Core.Heartbeats;

/// <summary>What a heartbeat pass does about one heartbeat.</summary>
public enum HeartbeatVerdict
{
    /// <summary>Nothing: well and not yet due, or missing and still not back.</summary>
    None,

    /// <summary>Its timeout passed: open the HeartbeatMissing occurrence.</summary>
    Missing,

    /// <summary>Seen again after it went missing: resolve the HeartbeatMissing occurrence.</summary>
    Back,
}

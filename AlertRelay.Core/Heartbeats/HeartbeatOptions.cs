namespace AlertRelay.Core.Heartbeats;

/// <summary>Settings of the heartbeat pass (section <c>AlertRelay:Heartbeats</c>).</summary>
public sealed class HeartbeatOptions
{
    public const string SectionName = "AlertRelay:Heartbeats";

    /// <summary>How often the pass looks for heartbeats gone missing or back; a missing heartbeat is noticed up to this late.</summary>
    public int CheckIntervalSeconds { get; set; } = 5;

    public IEnumerable<string> Validate()
    {
        if (CheckIntervalSeconds is < 1 or > 3600)
        {
            yield return $"AlertRelay:Heartbeats:CheckIntervalSeconds must be between 1 and 3600, not {CheckIntervalSeconds}";
        }
    }
}

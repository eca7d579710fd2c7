namespace AlertRelay.Core.Configuration;

/// <summary>One entry of a receiver's <c>msteamsv2_configs</c> (a Teams Workflows webhook), with Alertmanager's field names. SEAM: the Teams helper completes it.</summary>
public sealed record MsTeamsV2Config
{
    /// <summary><c>send_resolved</c>: Alertmanager's default for Teams is true.</summary>
    public bool SendResolved { get; init; } = true;
}

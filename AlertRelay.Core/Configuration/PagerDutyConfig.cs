namespace AlertRelay.Core.Configuration;

/// <summary>One entry of a receiver's <c>pagerduty_configs</c> (Events API v2), with Alertmanager's field names. SEAM: the PagerDuty helper completes it.</summary>
public sealed record PagerDutyConfig
{
    /// <summary><c>send_resolved</c>: Alertmanager's default for PagerDuty is true.</summary>
    public bool SendResolved { get; init; } = true;
}

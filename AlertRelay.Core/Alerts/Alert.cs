namespace AlertRelay.Core.Alerts;

/// <summary>
/// One alert as received, normalised: times in UTC truncated to milliseconds (the precision Alertmanager
/// itself does not keep stable across re-sends), <see cref="EndsAt"/> null while firing.
/// </summary>
public sealed record Alert(
    Fingerprint Fingerprint,
    AlertStatus Status,
    LabelSet Labels,
    LabelSet Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string GeneratorUrl)
{
    /// <summary>The alertname label, or "" when missing.</summary>
    public string Name => Labels.Get("alertname");

    /// <summary>The severity label, or "" when missing.</summary>
    public string Severity => Labels.Get("severity");
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify;

/// <summary>An occurrence as a notification shows it, read from the store when the notification is sent.</summary>
public sealed record NotifiedOccurrence(
    long Id,
    Fingerprint Fingerprint,
    AlertStatus Status,
    LabelSet Labels,
    LabelSet Annotations,
    string Severity,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string GeneratorUrl)
{
    public string Alertname => Labels.Get("alertname");

    /// <summary>Who acknowledged it, when the notification is rendered (null: not acknowledged).</summary>
    public Escalation.Acknowledgement? Acknowledgement { get; init; }

    /// <summary>The Alertmanager silence AlertRelay created for it, when the notification is rendered (null: none).</summary>
    public Oncall.ActiveSilence? Silence { get; init; }
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>A stored alert occurrence that may inhibit others: its id, fingerprint, labels and (by default firing) status.</summary>
/// <remarks>
/// Callers normally pass only firing occurrences; <see cref="Status"/> exists because Alertmanager's source cache can be
/// stale and hold resolved alerts, which it skips, and so does <see cref="InhibitionStage"/>.
/// </remarks>
public sealed record InhibitionSource(long OccurrenceId, Fingerprint Fingerprint, LabelSet Labels)
{
    /// <summary>Firing unless said otherwise; a resolved source never inhibits.</summary>
    public AlertStatus Status { get; init; } = AlertStatus.Firing;
}

namespace AlertRelay.Core.Escalation;

/// <summary>
/// Where one occurrence stands on its ladder: its policy, since when it fires, how many steps ran, whether it still fires, its
/// acknowledgement, and until when the Alertmanager silence created from AlertRelay holds (null: none).
/// </summary>
public sealed record EscalationState(
    EscalationPolicy Policy, DateTimeOffset FiringSince, int StepsDone, bool Firing, Acknowledgement? Ack, DateTimeOffset? SilencedUntil = null);

namespace AlertRelay.Core.Escalation;

/// <summary>A ladder whose next step is due, with what the scheduler needs of its occurrence.</summary>
public sealed record DueEscalation(
    long OccurrenceId, string Policy, long FiringSinceMs, int StepsDone, bool Firing, string Severity, long? InhibitedBy, Acknowledgement? Ack);

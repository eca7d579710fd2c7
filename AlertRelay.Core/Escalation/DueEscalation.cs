namespace AlertRelay.Core.Escalation;

/// <summary>
/// A ladder that is due (a step or a reminder), with what the scheduler needs of its occurrence: its reminder state
/// (<see cref="RemindersSent"/>, <see cref="NextReminderMs"/>: null when paused) and until when it is silenced (null: not).
/// </summary>
public sealed record DueEscalation(
    long OccurrenceId, string Policy, long FiringSinceMs, int StepsDone, bool Firing, string Severity, long? InhibitedBy, Acknowledgement? Ack)
{
    public int RemindersSent { get; init; }

    public long? NextReminderMs { get; init; }

    public long? SilencedUntilMs { get; init; }
}

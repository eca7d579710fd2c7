namespace AlertRelay.Core.Escalation;

/// <summary>
/// Where an occurrence stands on its reminder schedule: whether it still fires, since when, how many reminders were sent, when the
/// next is due (<see langword="null"/>: paused, or never started), its acknowledgement and until when it is silenced (null: not).
/// </summary>
public sealed record ReminderState(
    bool Firing, DateTimeOffset FiringSince, int Sent, DateTimeOffset? NextAt, Acknowledgement? Ack, DateTimeOffset? SilencedUntil);

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// A change to an occurrence's escalation ladder: when the scheduler looks at it next (null stops it), and, for a new
/// occurrence, the policy it starts (<paramref name="StartPolicy"/> with <paramref name="FiringSinceMs"/>) and when its first reminder
/// is due (<paramref name="NextReminderMs"/>, null without <c>repeat</c>). Stopping a ladder pauses its reminders.
/// </summary>
public sealed record EscalationChange(long OccurrenceId, long? NextDueMs, string? StartPolicy = null, long FiringSinceMs = 0, long? NextReminderMs = null)
{
    /// <summary>The scheduler decides what is due now (a re-opened or released occurrence).</summary>
    public static EscalationChange Resume(long id, long nowMs) => new(id, nowMs);

    /// <summary>No more steps (resolved).</summary>
    public static EscalationChange Stop(long id) => new(id, null);
}

using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;

namespace AlertRelay.Core.Escalation;

/// <summary>
/// What one scheduler pass does to one ladder, persisted in the pass's transaction: the steps now done, when to look
/// again (null stops it), the occurrence's new severity (null: unchanged), its events, the notifications and its reminders.
/// </summary>
public sealed record EscalationPlan(
    long OccurrenceId, int StepsDone, long? NextDueMs, string? Severity, IReadOnlyList<TimelineEvent> Events, IReadOnlyList<QueuedNotification> Notifications,
    ReminderPlan Reminders)
{
    /// <summary>No step runs and the ladder stops, its reminders paused (its policy is gone, or its occurrence is muted until released).</summary>
    public static EscalationPlan Stop(DueEscalation due) => new(due.OccurrenceId, due.StepsDone, null, null, [], [], new ReminderPlan(due.RemindersSent, null, null));
}

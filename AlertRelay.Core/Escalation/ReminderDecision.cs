namespace AlertRelay.Core.Escalation;

/// <summary>
/// What to do about an occurrence's reminders now: the <see cref="Reason"/>, the number of the reminder to send now (null: none),
/// the next reminder's due time to store (<see langword="null"/>: paused or stopped) and when to look again (null: only when the
/// occurrence's state changes).
/// </summary>
public sealed record ReminderDecision(ReminderReason Reason, int? Send, DateTimeOffset? NextAt, DateTimeOffset? CheckAt)
{
    /// <summary>No reminder and nothing to look at (no repeat, or resolved).</summary>
    public static ReminderDecision None(ReminderReason reason) => new(reason, null, null, null);

    /// <summary>Paused by an acknowledgement or a silence: look again when it ends (null: never by itself).</summary>
    public static ReminderDecision Paused(ReminderReason reason, DateTimeOffset? until) => new(reason, null, null, until);

    /// <summary>Nothing to send now; the next reminder is due at <paramref name="nextAt"/>.</summary>
    public static ReminderDecision Wait(ReminderReason reason, DateTimeOffset nextAt) => new(reason, null, nextAt, nextAt);

    /// <summary>Send reminder <paramref name="number"/> now; the next one is due at <paramref name="nextAt"/>.</summary>
    public static ReminderDecision SendNow(int number, DateTimeOffset nextAt) => new(ReminderReason.Due, number, nextAt, nextAt);
}

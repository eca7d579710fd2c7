namespace AlertRelay.Core.Escalation;

/// <summary>
/// A ladder's reminder state after a scheduler pass, persisted with its plan: reminders sent, when the next is due (null: paused
/// or stopped), and, when a reminder is sent now, its notification detail: the store queues it, in the same transaction, for
/// every target that was told the occurrence fires.
/// </summary>
public sealed record ReminderPlan(int Sent, long? NextMs, string? Detail)
{
    /// <summary>Whether this pass sends a reminder.</summary>
    public bool SendsNow => Detail is not null;

    /// <summary>The notification detail of reminder <paramref name="number"/>, <paramref name="firingFor"/> after the occurrence started firing: "reminder 2 after 45m".</summary>
    public static string DetailOf(int number, string firingFor) => $"reminder {number} after {firingFor}";
}

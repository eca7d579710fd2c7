namespace AlertRelay.Core.Escalation;

/// <summary>
/// Decides when an escalation policy's <c>repeat</c> reminds the people who were told an occurrence fires; pure, the escalation
/// scheduler supplies the clock and persists the count sent and the next due time with the queued reminders.
/// </summary>
/// <remarks>
/// <para>With <c>repeat: [r0, r1, ..., rN]</c>, an occurrence that fires, is not acknowledged (an expired acknowledgement does not
/// count) and is not silenced (a silence counts while its end is after now) gets reminder 1 at firing start + r0, reminder 2 at
/// reminder 1 + r1, ..., and then one every rN until it is acknowledged, silenced or resolved. Reminders run on their own clock,
/// beside the policy's steps (which keep theirs).</para>
/// <para>An acknowledgement or a silence pauses the schedule; when it ends (taken back, expired, lifted) the schedule starts again
/// from then: the next reminder one current interval later, never at once. After downtime that missed several reminders, one is
/// sent and the next is due one interval from now: no burst.</para>
/// </remarks>
public static class ReminderStage
{
    /// <summary>The interval before the reminder that follows <paramref name="sent"/> reminders: <c>repeat[sent]</c>, the last one repeating.</summary>
    /// <exception cref="ArgumentException"><paramref name="repeat"/> is empty.</exception>
    public static TimeSpan Interval(IReadOnlyList<TimeSpan> repeat, int sent)
    {
        ArgumentNullException.ThrowIfNull(repeat);
        ArgumentOutOfRangeException.ThrowIfNegative(sent);
        if (repeat.Count == 0)
        {
            throw new ArgumentException("repeat is empty", nameof(repeat));
        }

        return repeat[Math.Min(sent, repeat.Count - 1)];
    }

    /// <summary>When the first reminder of an occurrence firing since <paramref name="firingSince"/> is due; null without repeat.</summary>
    public static DateTimeOffset? FirstAt(IReadOnlyList<TimeSpan> repeat, DateTimeOffset firingSince)
    {
        ArgumentNullException.ThrowIfNull(repeat);
        return repeat.Count == 0 ? null : Add(firingSince, repeat[0]);
    }

    /// <summary>
    /// What to do at <paramref name="now"/>. In order of precedence: no repeat → nothing; not firing → stop; an active
    /// acknowledgement → pause until it expires; an active silence → pause until it ends; paused → start again from now; not due →
    /// wait; due → send one reminder and schedule the next from its due time, or from now when that is already past too.
    /// </summary>
    public static ReminderDecision Decide(IReadOnlyList<TimeSpan> repeat, ReminderState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(repeat);
        ArgumentNullException.ThrowIfNull(state);

        if (repeat.Count == 0)
        {
            return ReminderDecision.None(ReminderReason.NoRepeat);
        }

        if (!state.Firing)
        {
            return ReminderDecision.None(ReminderReason.Resolved);
        }

        if (state.Ack is { } ack && ack.IsActiveAt(now))
        {
            return ReminderDecision.Paused(ReminderReason.Acknowledged, ack.ExpiresAt);
        }

        if (state.SilencedUntil is { } until && until > now)
        {
            return ReminderDecision.Paused(ReminderReason.Silenced, until);
        }

        if (state.NextAt is not { } nextAt)
        {
            return ReminderDecision.Wait(ReminderReason.Resumed, Add(now, Interval(repeat, state.Sent)));
        }

        if (nextAt > now)
        {
            return ReminderDecision.Wait(ReminderReason.NotYetDue, nextAt);
        }

        var number = state.Sent + 1;
        var following = Add(nextAt, Interval(repeat, number));
        // Several overdue (the scheduler did not run): this one stands for them all, and the schedule goes on from now.
        return ReminderDecision.SendNow(number, following > now ? following : Add(now, Interval(repeat, number)));
    }

    /// <summary>A due time; the end of time, not an overflow, near year 9999.</summary>
    private static DateTimeOffset Add(DateTimeOffset from, TimeSpan after) =>
        from > DateTimeOffset.MaxValue - after ? DateTimeOffset.MaxValue : from + after;
}

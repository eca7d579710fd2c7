using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Escalation;

/// <summary>
/// Decides which escalation policy applies to an alert and which of its steps are due; pure, the scheduler worker
/// supplies the clock and persists how many steps ran.
/// </summary>
/// <remarks>
/// Steps run strictly in index order and each at most once: the store keeps only a count of the steps done, so a step
/// never runs before the ones above it, even if a misordered configuration gives it a smaller <c>After</c>. After
/// downtime (a restart, an outage of the worker) every missed step is due at once, in order, once.
/// </remarks>
public static class EscalationStage
{
    /// <summary>
    /// The first policy, in configuration order, whose matchers all match the labels (a policy without matchers matches
    /// everything); <see langword="null"/> when none does. First match wins, like an Alertmanager route without
    /// <c>continue</c>: an alert follows one ladder only.
    /// </summary>
    public static EscalationPolicy? SelectPolicy(LabelSet labels, IReadOnlyList<EscalationPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(policies);

        foreach (var policy in policies)
        {
            if (policy.Matchers.All(m => m.Matches(labels.Get(m.Name))))
            {
                return policy;
            }
        }

        return null;
    }

    /// <summary>
    /// The steps not done yet (index &gt;= <paramref name="stepsDone"/>) that are due (<c>firingSince + After &lt;= now</c>),
    /// in order; stops at the first step not yet due, so the result always continues the done prefix.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsDone"/> is negative.</exception>
    public static IReadOnlyList<(int Index, EscalationStep Step)> DueSteps(
        EscalationPolicy policy, DateTimeOffset firingSince, int stepsDone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsDone);

        List<(int Index, EscalationStep Step)>? due = null;
        for (var i = stepsDone; i < policy.Steps.Count; i++)
        {
            var step = policy.Steps[i];
            if (DueAt(firingSince, step.After) > now)
            {
                break;
            }

            (due ??= []).Add((i, step));
        }

        return due ?? (IReadOnlyList<(int Index, EscalationStep Step)>)Array.Empty<(int Index, EscalationStep Step)>();
    }

    /// <summary>
    /// When the next step not done falls due (it may already be past), or <see langword="null"/> when the ladder is
    /// done (including a <paramref name="stepsDone"/> beyond the policy's steps, e.g. after the policy was shortened).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsDone"/> is negative.</exception>
    public static DateTimeOffset? NextDueAt(EscalationPolicy policy, DateTimeOffset firingSince, int stepsDone)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsDone);

        return stepsDone < policy.Steps.Count ? DueAt(firingSince, policy.Steps[stepsDone].After) : null;
    }

    /// <summary>When a step falls due; the end of time, not an overflow, for an alert that starts near year 9999.</summary>
    private static DateTimeOffset DueAt(DateTimeOffset firingSince, TimeSpan after) =>
        firingSince > DateTimeOffset.MaxValue - after ? DateTimeOffset.MaxValue : firingSince + after;

    /// <summary>
    /// What to do with an occurrence at <paramref name="now"/>. In order of precedence: not firing → stop
    /// (<see cref="EscalationReason.Resolved"/>); every step done → stop (<see cref="EscalationReason.LadderComplete"/>);
    /// an active acknowledgement → stop (<see cref="EscalationReason.Acknowledged"/>), looking again when it expires; an active
    /// silence → stop (<see cref="EscalationReason.Silenced"/>), looking again when it ends;
    /// otherwise run the due steps, or wait until the next one is due.
    /// </summary>
    /// <remarks>
    /// Alertmanager has no acknowledgements. Here an acknowledgement without expiry holds the ladder for good (until the
    /// occurrence resolves; a new occurrence starts a new ladder). One that expires holds it until
    /// <see cref="Acknowledgement.ExpiresAt"/> (exclusive); from then on the ladder resumes where it stopped, on its
    /// original schedule (not shifted by the acknowledgement): the steps that came due meanwhile all run at once, in
    /// order, each once; on-call hears about the alert again as soon as the acknowledgement lapses, at the level it
    /// has reached by then.
    /// </remarks>
    public static EscalationDecision Decide(EscalationState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);

        if (!state.Firing)
        {
            return EscalationDecision.Resolved;
        }

        if (NextDueAt(state.Policy, state.FiringSince, state.StepsDone) is not { } nextDueAt)
        {
            return EscalationDecision.LadderComplete;
        }

        if (state.Ack is { } ack && ack.IsActiveAt(now))
        {
            // Look again when the acknowledgement lapses, or when the next step is due if that is later.
            return EscalationDecision.Acknowledged(ack.ExpiresAt is { } expiresAt ? Max(expiresAt, nextDueAt) : null);
        }

        if (state.SilencedUntil is { } silencedUntil && silencedUntil > now)
        {
            // Alertmanager stops sending a silenced alert; paging people about it meanwhile would undo the silence. Lifting it
            // early resumes the ladder at once (the silence store sets next_due); otherwise look again when it ends.
            return EscalationDecision.Silenced(Max(silencedUntil, nextDueAt));
        }

        var due = DueSteps(state.Policy, state.FiringSince, state.StepsDone, now);
        if (due.Count == 0)
        {
            return EscalationDecision.WaitUntil(nextDueAt);
        }

        return EscalationDecision.Run(due, NextDueAt(state.Policy, state.FiringSince, state.StepsDone + due.Count));
    }

    /// <summary>
    /// The severity after the given steps ran: the last non-empty <see cref="EscalationStep.SetSeverity"/> among
    /// them, or <paramref name="originalSeverity"/> when none sets one.
    /// </summary>
    public static string EffectiveSeverity(string originalSeverity, IEnumerable<EscalationStep> stepsDone)
    {
        ArgumentNullException.ThrowIfNull(stepsDone);

        var severity = originalSeverity;
        foreach (var step in stepsDone)
        {
            if (!string.IsNullOrEmpty(step.SetSeverity))
            {
                severity = step.SetSeverity;
            }
        }

        return severity;
    }

    /// <summary>The severity after the first <paramref name="stepsDone"/> steps of <paramref name="policy"/> ran.</summary>
    public static string EffectiveSeverity(string originalSeverity, EscalationPolicy policy, int stepsDone)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(stepsDone);

        return EffectiveSeverity(originalSeverity, policy.Steps.Take(stepsDone));
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}

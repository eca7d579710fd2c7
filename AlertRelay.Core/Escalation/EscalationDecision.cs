namespace AlertRelay.Core.Escalation;

/// <summary>
/// What to do with one occurrence now: the <see cref="Reason"/>, the steps to run now (in order, empty unless
/// <see cref="EscalationReason.StepsDue"/>) and when to look again (<see langword="null"/>: only when its state changes).
/// </summary>
public sealed record EscalationDecision(EscalationReason Reason, IReadOnlyList<(int Index, EscalationStep Step)> Steps, DateTimeOffset? NextCheckAt)
{
    /// <summary>Whether the decision stops the ladder (resolved, acknowledged, silenced or complete); an expiring acknowledgement or a silence still sets <see cref="NextCheckAt"/>.</summary>
    public bool Stops => Reason is EscalationReason.Resolved or EscalationReason.Acknowledged or EscalationReason.Silenced or EscalationReason.LadderComplete;

    /// <summary>Stop: the occurrence resolved.</summary>
    public static EscalationDecision Resolved { get; } = new(EscalationReason.Resolved, [], null);

    /// <summary>Stop: the ladder is complete.</summary>
    public static EscalationDecision LadderComplete { get; } = new(EscalationReason.LadderComplete, [], null);

    /// <summary>Stop while acknowledged; look again at <paramref name="nextCheckAt"/> when the acknowledgement expires.</summary>
    public static EscalationDecision Acknowledged(DateTimeOffset? nextCheckAt) => new(EscalationReason.Acknowledged, [], nextCheckAt);

    /// <summary>Stop while silenced; look again at <paramref name="nextCheckAt"/> when the silence ends.</summary>
    public static EscalationDecision Silenced(DateTimeOffset nextCheckAt) => new(EscalationReason.Silenced, [], nextCheckAt);

    /// <summary>Nothing due yet; look again at <paramref name="dueAt"/>.</summary>
    public static EscalationDecision WaitUntil(DateTimeOffset dueAt) => new(EscalationReason.NotYetDue, [], dueAt);

    /// <summary>Run <paramref name="steps"/> now, then look again at <paramref name="nextCheckAt"/> (null when they complete the ladder).</summary>
    public static EscalationDecision Run(IReadOnlyList<(int Index, EscalationStep Step)> steps, DateTimeOffset? nextCheckAt) =>
        new(EscalationReason.StepsDue, steps, nextCheckAt);
}

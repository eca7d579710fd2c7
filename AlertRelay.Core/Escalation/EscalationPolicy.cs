using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Escalation;

/// <summary>An escalation policy: the alerts it applies to (all matchers must match) and its steps, ordered by <c>After</c>.</summary>
public sealed record EscalationPolicy(string Name, IReadOnlyList<Matcher> Matchers, IReadOnlyList<EscalationStep> Steps)
{
    /// <summary>
    /// The reminder intervals (<c>repeat:</c>, each &gt; 0), the last repeating; empty: no reminders. See <see cref="ReminderStage"/>.
    /// </summary>
    public IReadOnlyList<TimeSpan> Repeat { get; init; } = [];
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Escalation;

/// <summary>An escalation policy: the alerts it applies to (all matchers must match) and its steps, ordered by <c>After</c>.</summary>
public sealed record EscalationPolicy(string Name, IReadOnlyList<Matcher> Matchers, IReadOnlyList<EscalationStep> Steps);

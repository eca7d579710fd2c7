using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>
/// One inhibition rule, Alertmanager semantics: while an alert matching <see cref="SourceMatchers"/> fires,
/// alerts matching <see cref="TargetMatchers"/> with equal values for every label in <see cref="Equal"/>
/// (both missing counts as equal) are muted.
/// </summary>
public sealed record InhibitRule(IReadOnlyList<Matcher> SourceMatchers, IReadOnlyList<Matcher> TargetMatchers, IReadOnlyList<string> Equal)
{
    /// <summary>Where the rule was declared, e.g. "inhibit_rules[0]" (for events and logs).</summary>
    public string Name { get; init; } = "";
}

namespace AlertRelay.Core.Inhibition;

/// <summary>Why an alert is muted: the rule (and its index in the configured list) and the firing source that inhibits it.</summary>
public sealed record InhibitionMatch(InhibitRule Rule, int RuleIndex, InhibitionSource Source);

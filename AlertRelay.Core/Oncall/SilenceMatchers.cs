using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Oncall;

/// <summary>The matchers of the silence created for an occurrence: its labels, minus the excluded names, as equality matchers.</summary>
public static class SilenceMatchers
{
    /// <summary>
    /// Equality matchers for each label not excluded and not empty (in Alertmanager an empty value is the label's absence, which
    /// would widen nothing but reads oddly), in label order. Empty when nothing is left: Alertmanager refuses a silence whose
    /// matchers all match the empty label set, and one that matched every alert must never be created from a button.
    /// </summary>
    public static IReadOnlyList<SilenceMatcher> From(LabelSet labels, IReadOnlyCollection<string> excluded) =>
        labels.Where(pair => pair.Value.Length > 0 && !excluded.Contains(pair.Key))
            .Select(pair => new SilenceMatcher(pair.Key, pair.Value))
            .ToList();

    /// <summary>amtool's notation, for logs and answers: <c>{alertname="X", severity="critical"}</c>.</summary>
    public static string Describe(IReadOnlyList<SilenceMatcher> matchers) =>
        "{" + string.Join(", ", matchers.Select(m => $"{m.Name}=\"{m.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"")) + "}";
}

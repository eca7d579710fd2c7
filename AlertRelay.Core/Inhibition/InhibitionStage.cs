using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>
/// Decides whether firing alerts mute another alert, with Alertmanager 0.25 semantics (<c>inhibit/inhibit.go</c>,
/// <c>Inhibitor.Mutes</c> and <c>InhibitRule.hasEqual</c>); pure, the store supplies the firing occurrences.
/// </summary>
public static class InhibitionStage
{
    /// <summary>
    /// Finds what mutes <paramref name="target"/>, or <see langword="null"/> when nothing does.
    /// </summary>
    /// <remarks>
    /// A source inhibits the target under a rule when: the target matches the rule's target matchers; the source
    /// matches its source matchers and is firing; it is not the target itself; every label in <c>equal</c> has the
    /// same value on both (a label missing on both counts as equal, "" == ""); and, when the target also matches the
    /// source matchers, the source does not also match the target matchers (Alertmanager's excludeTwoSidedMatch).
    /// <para>
    /// Alertmanager stops at the first rule that inhibits, in configuration order, and within a rule takes whichever
    /// cached source its map yields first. Here the choice is deterministic: the first rule (lowest index) that
    /// inhibits, and within it the source with the lowest <see cref="InhibitionSource.OccurrenceId"/> (the oldest
    /// stored occurrence, so the attribution does not jump around while several sources fire).
    /// </para>
    /// </remarks>
    public static InhibitionMatch? FindInhibitor(LabelSet target, IReadOnlyList<InhibitRule> rules, IEnumerable<InhibitionSource> firing)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(firing);

        // Materialised only once a rule's target side matches: most alerts are no rule's target, and the
        // firing set can be large.
        IReadOnlyCollection<InhibitionSource>? sources = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (!MatchesAll(rule.TargetMatchers, target))
            {
                // If the target side does not match, no source of this rule can matter.
                continue;
            }

            sources ??= firing as IReadOnlyCollection<InhibitionSource> ?? firing.ToList();

            var source = FirstInhibitingSource(rule, target, sources, excludeTwoSidedMatch: MatchesAll(rule.SourceMatchers, target));
            if (source is not null)
            {
                return new InhibitionMatch(rule, i, source);
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="source"/> inhibits <paramref name="target"/> under <paramref name="rule"/>, or the first reason it does not.</summary>
    public static InhibitionCheck Check(InhibitRule rule, LabelSet target, InhibitionSource source)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);

        if (!MatchesAll(rule.TargetMatchers, target))
        {
            return InhibitionCheck.TargetNotMatched;
        }

        return CheckSource(rule, target, source, excludeTwoSidedMatch: MatchesAll(rule.SourceMatchers, target));
    }

    /// <summary>Whether the alert can inhibit others, i.e. matches the source matchers of at least one rule.</summary>
    public static bool IsSource(LabelSet alert, IReadOnlyList<InhibitRule> rules) => SourcesFor(alert, rules).Count > 0;

    /// <summary>
    /// Whether any rule could involve the alert, as a source or as a target. Alerts no rule can involve never
    /// need to be considered for inhibition, so the writer does not keep them in memory.
    /// </summary>
    public static bool IsInvolved(LabelSet alert, IReadOnlyList<InhibitRule> rules)
    {
        foreach (var rule in rules)
        {
            if (MatchesAll(rule.SourceMatchers, alert) || MatchesAll(rule.TargetMatchers, alert))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The indexes of the rules for which the alert is a source (matches the source matchers), in order; empty when it
    /// is a source of none. The store uses it to know whose resolution may release muted targets.
    /// </summary>
    public static IReadOnlyList<int> SourcesFor(LabelSet alert, IReadOnlyList<InhibitRule> rules)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(rules);

        List<int>? indexes = null;
        for (var i = 0; i < rules.Count; i++)
        {
            if (MatchesAll(rules[i].SourceMatchers, alert))
            {
                (indexes ??= []).Add(i);
            }
        }

        return indexes ?? (IReadOnlyList<int>)Array.Empty<int>();
    }

    /// <summary>
    /// Decides what the resolution of the source <paramref name="resolvedOccurrenceId"/> changes for the targets it
    /// mutes: each target muted by it is either freed (no other source inhibits it) or re-attributed to the source
    /// <see cref="FindInhibitor"/> picks among <paramref name="stillFiring"/>. Targets muted by another source are
    /// not affected and appear in neither list; both lists keep the order of <paramref name="muted"/>.
    /// </summary>
    /// <remarks>The resolved source is ignored if it still appears in <paramref name="stillFiring"/>.</remarks>
    public static InhibitionRelease Released(
        long resolvedOccurrenceId,
        IEnumerable<MutedTarget> muted,
        IReadOnlyList<InhibitRule> rules,
        IEnumerable<InhibitionSource> stillFiring)
    {
        ArgumentNullException.ThrowIfNull(muted);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(stillFiring);

        var remaining = stillFiring.Where(s => s.OccurrenceId != resolvedOccurrenceId).ToList();
        var freed = new List<MutedTarget>();
        var reattributed = new List<Reattribution>();
        foreach (var target in muted)
        {
            if (target.MutedBy != resolvedOccurrenceId)
            {
                continue;
            }

            if (FindInhibitor(target.Labels, rules, remaining) is { } inhibition)
            {
                reattributed.Add(new Reattribution(target, inhibition));
            }
            else
            {
                freed.Add(target);
            }
        }

        return freed.Count == 0 && reattributed.Count == 0 ? InhibitionRelease.None : new InhibitionRelease(freed, reattributed);
    }

    /// <summary>
    /// Port of Alertmanager's <c>InhibitRule.hasEqual</c>: the source (lowest occurrence id) that inhibits a target
    /// already known to match the rule's target matchers, or <see langword="null"/>.
    /// </summary>
    internal static InhibitionSource? FirstInhibitingSource(
        InhibitRule rule, LabelSet target, IEnumerable<InhibitionSource> sources, bool excludeTwoSidedMatch)
    {
        InhibitionSource? best = null;
        foreach (var source in sources)
        {
            if ((best is null || source.OccurrenceId < best.OccurrenceId) &&
                CheckSource(rule, target, source, excludeTwoSidedMatch) == InhibitionCheck.Inhibits)
            {
                best = source;
            }
        }

        return best;
    }

    private static InhibitionCheck CheckSource(InhibitRule rule, LabelSet target, InhibitionSource source, bool excludeTwoSidedMatch)
    {
        // Alertmanager only caches alerts matching the source matchers, so this is its cache membership test.
        if (!MatchesAll(rule.SourceMatchers, source.Labels))
        {
            return InhibitionCheck.SourceNotMatched;
        }

        // The cache might be stale and contain resolved alerts.
        if (source.Status != AlertStatus.Firing)
        {
            return InhibitionCheck.SourceNotFiring;
        }

        // Alertmanager gets this for free from excludeTwoSidedMatch (the target matches the target matchers, so a
        // source with the same labels matches both sides); checked explicitly so the reason says what happened.
        if (source.Labels.Equals(target))
        {
            return InhibitionCheck.SameAlert;
        }

        foreach (var name in rule.Equal)
        {
            if (!string.Equals(source.Labels.Get(name), target.Get(name), StringComparison.Ordinal))
            {
                return InhibitionCheck.EqualLabelDiffers;
            }
        }

        if (excludeTwoSidedMatch && MatchesAll(rule.TargetMatchers, source.Labels))
        {
            return InhibitionCheck.SourceAlsoTarget;
        }

        return InhibitionCheck.Inhibits;
    }

    private static bool MatchesAll(IReadOnlyList<Matcher> matchers, LabelSet labels)
    {
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(labels.Get(matcher.Name)))
            {
                return false;
            }
        }

        return true;
    }
}

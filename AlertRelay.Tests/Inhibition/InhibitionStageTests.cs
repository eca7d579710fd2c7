using AlertRelay.Core.Alerts;
using AlertRelay.Core.Inhibition;

namespace AlertRelay.Tests.Inhibition;

/// <summary>Tests for <see cref="InhibitionStage"/>; the first three tables are ported from Alertmanager's <c>inhibit/inhibit_test.go</c>.</summary>
public sealed class InhibitionStageTests
{
    private static LabelSet L(params (string Name, string Value)[] pairs) => LabelSet.From(pairs);

    private static InhibitRule Rule(string source, string target, params string[] equal) =>
        new(MatcherParser.ParseMatchers(source), MatcherParser.ParseMatchers(target), equal);

    private static InhibitionSource Source(long id, LabelSet labels, AlertStatus status = AlertStatus.Firing) =>
        new(id, Fingerprint.Of(labels), labels) { Status = status };

    // ---- TestInhibitRuleHasEqual ----

    /// <summary>One <c>hasEqual</c> check: a rule without matchers, its source cache and the target.</summary>
    public sealed record HasEqualCase(string Name, string[] Equal, InhibitionSource[] Cached, LabelSet Input, bool Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<HasEqualCase> HasEqualCases() =>
    [
        new("no source alerts at all", [], [], L(("a", "b")), false),
        new("no equal labels, any source alert satisfies the requirement", [], [Source(1, LabelSet.Empty)], L(("a", "b")), true),
        new("matching but already resolved", ["a", "b"],
            [
                Source(1, L(("a", "b"), ("b", "f")), AlertStatus.Resolved),
                Source(2, L(("a", "b"), ("b", "c")), AlertStatus.Resolved),
            ],
            L(("a", "b"), ("b", "c")), false),
        new("matching and unresolved", ["a"],
            [
                Source(1, L(("a", "b"), ("c", "d")), AlertStatus.Resolved),
                Source(2, L(("a", "b"), ("c", "f"))),
            ],
            L(("a", "b")), true),
        new("equal label does not match", ["a"],
            [
                Source(1, L(("a", "c"), ("c", "d")), AlertStatus.Resolved),
                Source(2, L(("a", "c"), ("c", "f")), AlertStatus.Resolved),
            ],
            L(("a", "b")), false),
    ];

    [Theory]
    [MemberData(nameof(HasEqualCases))]
    public void FirstInhibitingSource_MatchesAlertmanagerHasEqual_WhenNotExcludingTwoSidedMatches(HasEqualCase testCase)
    {
        var rule = new InhibitRule([], [], testCase.Equal);

        var source = InhibitionStage.FirstInhibitingSource(rule, testCase.Input, testCase.Cached, excludeTwoSidedMatch: false);

        Assert.Equal(testCase.Expected, source is not null);
    }

    // ---- TestInhibitRuleMatches and TestInhibitRuleMatchers ----

    /// <summary>One target checked against two rules and their sources; the expected inhibition as (rule index, source id), or null.</summary>
    public sealed record MutesCase(string Name, LabelSet Target, (int RuleIndex, long SourceId)? Expected)
    {
        public override string ToString() => Name;
    }

    // Active alert that matches the source filter of the first rule.
    private static readonly InhibitionSource SourceAlert1 = Source(1, L(("s1", "1"), ("t1", "2"), ("e", "1")));

    // Active alert that matches the source filter _and_ the target filter of the second rule.
    private static readonly InhibitionSource SourceAlert2 = Source(2, L(("s2", "1"), ("t2", "1"), ("e", "1")));

    public static TheoryData<MutesCase> RuleMatchesCases() =>
    [
        new("matches target filter of rule1, inhibited", L(("t1", "1"), ("e", "1")), (0, 1)),
        new("matches target filter of rule2, inhibited", L(("t2", "1"), ("e", "1")), (1, 2)),
        new("matches target filter of rule1 (plus noise), inhibited", L(("t1", "1"), ("t3", "1"), ("e", "1")), (0, 1)),
        new("matches target filter of rule1 plus rule2, inhibited", L(("t1", "1"), ("t2", "1"), ("e", "1")), (0, 1)),
        new("doesn't match target filter, not inhibited", L(("t1", "0"), ("e", "1")), null),
        new("matches both filters of rule1, inhibited because sourceAlert1 matches only the source filter",
            L(("s1", "1"), ("t1", "1"), ("e", "1")), (0, 1)),
        new("matches both filters of rule2, not inhibited because sourceAlert2 matches both filters too",
            L(("s2", "1"), ("t2", "1"), ("e", "1")), null),
        new("matches target filter, equal label doesn't match, not inhibited", L(("t1", "1"), ("e", "0")), null),
    ];

    [Theory]
    [MemberData(nameof(RuleMatchesCases))]
    public void FindInhibitor_MatchesAlertmanager_ForTestInhibitRuleMatches(MutesCase testCase)
    {
        IReadOnlyList<InhibitRule> rules = [Rule("s1=1", "t1=1", "e"), Rule("s2=1", "t2=1", "e")];

        AssertInhibition(testCase, InhibitionStage.FindInhibitor(testCase.Target, rules, [SourceAlert1, SourceAlert2]));
    }

    public static TheoryData<MutesCase> RuleMatchersCases() =>
    [
        new("t1=1 does not match t1!=1, not inhibited", L(("t1", "1"), ("e", "1")), null),
        new("missing t1 matches t1!=1, inhibited by rule1", L(("t2", "1"), ("e", "1")), (0, 1)),
        new("t1=1 (plus noise) does not match t1!=1, not inhibited", L(("t1", "1"), ("t3", "1"), ("e", "1")), null),
        new("matches target filter of rule2 only, inhibited", L(("t1", "1"), ("t2", "1"), ("e", "1")), (1, 2)),
        new("t1=0 matches t1!=1, inhibited", L(("t1", "0"), ("e", "1")), (0, 1)),
        new("matches no target filter, not inhibited", L(("s1", "1"), ("t1", "1"), ("e", "1")), null),
        new("two-sided match of rule2 excluded, but rule1 inhibits", L(("s2", "1"), ("t2", "1"), ("e", "1")), (0, 1)),
        new("t1=1 does not match t1!=1, equal label differs anyway", L(("t1", "1"), ("e", "0")), null),
    ];

    [Theory]
    [MemberData(nameof(RuleMatchersCases))]
    public void FindInhibitor_MatchesAlertmanager_ForTestInhibitRuleMatchers(MutesCase testCase)
    {
        IReadOnlyList<InhibitRule> rules = [Rule("s1=1", "t1!=1", "e"), Rule("s2=1", "t2=1", "e")];

        AssertInhibition(testCase, InhibitionStage.FindInhibitor(testCase.Target, rules, [SourceAlert1, SourceAlert2]));
    }

    private static void AssertInhibition(MutesCase testCase, InhibitionMatch? actual) =>
        Assert.Equal(testCase.Expected, actual is null ? null : (actual.RuleIndex, actual.Source.OccurrenceId));

    // ---- TestInhibit ----

    /// <summary>A sequence of alerts as Alertmanager receives them (a later one with the same labels replaces an earlier one), and the expected muting.</summary>
    public sealed record InhibitCase(string Name, (LabelSet Labels, AlertStatus Status)[] Alerts, (LabelSet Labels, bool Muted)[] Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly LabelSet AlertOne = L(("t", "1"), ("e", "f"));
    private static readonly LabelSet AlertTwo = L(("s", "1"), ("e", "f"));

    public static TheoryData<InhibitCase> InhibitCases() =>
    [
        new("alertOne is not muted since alertTwo has not fired",
            [(AlertOne, AlertStatus.Firing)],
            [(AlertOne, false)]),
        new("alertOne is muted by alertTwo, which is active",
            [(AlertOne, AlertStatus.Firing), (AlertTwo, AlertStatus.Firing)],
            [(AlertOne, true), (AlertTwo, false)]),
        new("alertOne is not muted since alertTwo is resolved",
            [(AlertOne, AlertStatus.Firing), (AlertTwo, AlertStatus.Firing), (AlertTwo, AlertStatus.Resolved)],
            [(AlertOne, false), (AlertTwo, false)]),
    ];

    [Theory]
    [MemberData(nameof(InhibitCases))]
    public void FindInhibitor_MatchesAlertmanager_ForTestInhibit(InhibitCase testCase)
    {
        IReadOnlyList<InhibitRule> rules = [Rule("s=1", "t=1", "e")];

        // Alertmanager's alert store keeps the latest state per fingerprint.
        var store = new Dictionary<Fingerprint, InhibitionSource>();
        var id = 0;
        foreach (var (labels, status) in testCase.Alerts)
        {
            store[Fingerprint.Of(labels)] = Source(++id, labels, status);
        }

        foreach (var (labels, muted) in testCase.Expected)
        {
            Assert.True(muted == InhibitionStage.FindInhibitor(labels, rules, store.Values) is not null, $"{testCase.Name}: {labels}");
        }
    }

    // ---- One source against one target, with the reason ----

    /// <summary>One <see cref="InhibitionStage.Check"/> case.</summary>
    public sealed record CheckCase(string Name, InhibitRule Rule, LabelSet Target, InhibitionSource Source, InhibitionCheck Expected)
    {
        public override string ToString() => Name;
    }

    private static readonly InhibitRule NodeDownMutesWarnings = Rule("alertname=NodeDown", "severity=warning", "instance", "cluster");
    private static readonly LabelSet DiskWarning = L(("alertname", "DiskFull"), ("severity", "warning"), ("instance", "db-1"));
    private static readonly InhibitRule SameNameRule = Rule("alertname=Backup", "severity=~warning|critical");

    public static TheoryData<CheckCase> CheckCases() =>
    [
        new("source firing with equal labels inhibits", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-1"))), InhibitionCheck.Inhibits),
        new("target not matching the target matchers", NodeDownMutesWarnings, L(("alertname", "DiskFull"), ("severity", "critical"), ("instance", "db-1")),
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-1"))), InhibitionCheck.TargetNotMatched),
        new("source not matching the source matchers", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeSlow"), ("instance", "db-1"))), InhibitionCheck.SourceNotMatched),
        new("resolved source", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-1")), AlertStatus.Resolved), InhibitionCheck.SourceNotFiring),
        new("equal label with another value", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-2"))), InhibitionCheck.EqualLabelDiffers),
        new("equal label missing on the source only", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"))), InhibitionCheck.EqualLabelDiffers),
        new("equal label missing on the target only", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-1"), ("cluster", "eu"))), InhibitionCheck.EqualLabelDiffers),
        new("equal label present but empty on one side counts as missing", NodeDownMutesWarnings, DiskWarning,
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-1"), ("cluster", ""))), InhibitionCheck.Inhibits),
        new("alert matching both sides never inhibits itself", SameNameRule, L(("alertname", "Backup"), ("severity", "warning")),
            Source(1, L(("alertname", "Backup"), ("severity", "warning"))), InhibitionCheck.SameAlert),
        new("two-sided target, two-sided source: excluded", SameNameRule, L(("alertname", "Backup"), ("severity", "warning"), ("job", "a")),
            Source(1, L(("alertname", "Backup"), ("severity", "critical"), ("job", "b"))), InhibitionCheck.SourceAlsoTarget),
        new("two-sided target, one-sided source: inhibits", SameNameRule, L(("alertname", "Backup"), ("severity", "warning"), ("job", "a")),
            Source(1, L(("alertname", "Backup"), ("severity", "info"), ("job", "b"))), InhibitionCheck.Inhibits),
        new("one-sided target, two-sided source: inhibits", SameNameRule, L(("alertname", "Restore"), ("severity", "warning")),
            Source(1, L(("alertname", "Backup"), ("severity", "critical"))), InhibitionCheck.Inhibits),
    ];

    [Theory]
    [MemberData(nameof(CheckCases))]
    public void Check_ReturnsFirstFailingReason_ForEachCondition(CheckCase testCase)
    {
        Assert.Equal(testCase.Expected, InhibitionStage.Check(testCase.Rule, testCase.Target, testCase.Source));
    }

    // ---- Deterministic choice ----

    [Fact]
    public void FindInhibitor_PicksLowestOccurrenceId_WhenSeveralSourcesQualify()
    {
        IReadOnlyList<InhibitRule> rules = [NodeDownMutesWarnings];
        InhibitionSource[] firing =
        [
            Source(9, L(("alertname", "NodeDown"), ("instance", "db-1"), ("job", "node"))),
            Source(3, L(("alertname", "NodeDown"), ("instance", "db-1"), ("job", "blackbox"))),
            Source(5, L(("alertname", "NodeDown"), ("instance", "db-1"), ("job", "ping"))),
            Source(1, L(("alertname", "NodeDown"), ("instance", "db-2"))),
        ];

        var inhibition = InhibitionStage.FindInhibitor(DiskWarning, rules, firing);

        Assert.NotNull(inhibition);
        Assert.Equal(3, inhibition.Source.OccurrenceId);
        Assert.Same(NodeDownMutesWarnings, inhibition.Rule);
        Assert.Equal(0, inhibition.RuleIndex);
    }

    [Fact]
    public void FindInhibitor_PicksFirstRuleInOrder_WhenSeveralRulesInhibit()
    {
        var clusterDown = Rule("alertname=ClusterDown", "severity=warning");
        IReadOnlyList<InhibitRule> rules = [NodeDownMutesWarnings, clusterDown];
        InhibitionSource[] firing =
        [
            Source(1, L(("alertname", "ClusterDown"))),
            Source(2, L(("alertname", "NodeDown"), ("instance", "db-1"))),
        ];

        var inhibition = InhibitionStage.FindInhibitor(DiskWarning, rules, firing);

        Assert.Equal((0, 2L), (inhibition?.RuleIndex, inhibition?.Source.OccurrenceId));
    }

    public static TheoryData<string, IReadOnlyList<InhibitRule>, LabelSet, InhibitionSource[]> NothingInhibitsCases() => new()
    {
        { "no rules", [], DiskWarning, [Source(1, L(("alertname", "NodeDown"), ("instance", "db-1")))] },
        { "no firing alerts", [NodeDownMutesWarnings], DiskWarning, [] },
        { "only resolved sources", [NodeDownMutesWarnings], DiskWarning, [Source(1, L(("alertname", "NodeDown"), ("instance", "db-1")), AlertStatus.Resolved)] },
        { "the only source matches both sides, like the target", [SameNameRule], L(("alertname", "Backup"), ("severity", "warning"), ("job", "a")), [Source(1, L(("alertname", "Backup"), ("severity", "critical"), ("job", "b")))] },
        { "only the target itself fires", [SameNameRule], L(("alertname", "Backup"), ("severity", "warning")), [Source(1, L(("alertname", "Backup"), ("severity", "warning")))] },
    };

    [Theory]
    [MemberData(nameof(NothingInhibitsCases))]
    public void FindInhibitor_ReturnsNull_WhenNothingInhibits(string name, IReadOnlyList<InhibitRule> rules, LabelSet target, InhibitionSource[] firing)
    {
        Assert.True(InhibitionStage.FindInhibitor(target, rules, firing) is null, name);
    }

    // ---- Which rules an alert is a source of ----

    public static TheoryData<string, LabelSet, int[]> SourcesForCases() => new()
    {
        { "source of no rule", L(("alertname", "DiskFull"), ("severity", "warning")), [] },
        { "source of one rule", L(("alertname", "NodeDown"), ("instance", "db-1")), [0] },
        { "source of two rules, in order", L(("alertname", "Backup"), ("severity", "critical"), ("team", "db")), [1, 2] },
        { "a target can also be a source", L(("alertname", "Backup"), ("severity", "warning")), [1] },
    };

    [Theory]
    [MemberData(nameof(SourcesForCases))]
    public void SourcesFor_ReturnsRuleIndexes_WhoseSourceMatchersMatch(string name, LabelSet alert, int[] expected)
    {
        IReadOnlyList<InhibitRule> rules = [NodeDownMutesWarnings, SameNameRule, Rule("team=db,severity=critical", "team=db,severity!=critical")];

        Assert.Equal(expected, InhibitionStage.SourcesFor(alert, rules));
        Assert.True(expected.Length > 0 == InhibitionStage.IsSource(alert, rules), name);
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Inhibition;

namespace AlertRelay.Tests.Inhibition;

/// <summary>Tests for <see cref="InhibitionStage.Released"/>: what a source's resolution frees or re-attributes.</summary>
public sealed class InhibitionReleaseTests
{
    private static LabelSet L(params (string Name, string Value)[] pairs) => LabelSet.From(pairs);

    private static InhibitionSource Source(long id, LabelSet labels) => new(id, Fingerprint.Of(labels), labels);

    private static readonly IReadOnlyList<InhibitRule> Rules =
    [
        new(MatcherParser.ParseMatchers("alertname=NodeDown"), MatcherParser.ParseMatchers("severity=warning"), ["instance"]) { Name = "inhibit_rules[0]" },
        new(MatcherParser.ParseMatchers("alertname=DatacenterDown"), MatcherParser.ParseMatchers("severity=warning"), ["dc"]) { Name = "inhibit_rules[1]" },
    ];

    // The source that resolves, and others that may still fire.
    private static readonly InhibitionSource NodeDownA = Source(1, L(("alertname", "NodeDown"), ("instance", "a"), ("dc", "eu"), ("job", "node")));
    private static readonly InhibitionSource NodeDownAProbe = Source(2, L(("alertname", "NodeDown"), ("instance", "a"), ("dc", "eu"), ("job", "blackbox")));
    private static readonly InhibitionSource DatacenterDownEu = Source(3, L(("alertname", "DatacenterDown"), ("dc", "eu")));
    private static readonly InhibitionSource NodeDownB = Source(4, L(("alertname", "NodeDown"), ("instance", "b"), ("dc", "us")));
    private static readonly InhibitionSource NodeDownAPing = Source(7, L(("alertname", "NodeDown"), ("instance", "a"), ("dc", "eu"), ("job", "ping")));

    private static readonly MutedTarget LatencyOnA = new(10, L(("alertname", "HighLatency"), ("severity", "warning"), ("instance", "a"), ("dc", "eu")), MutedBy: 1);
    private static readonly MutedTarget DiskOnA = new(11, L(("alertname", "DiskFull"), ("severity", "warning"), ("instance", "a"), ("dc", "eu")), MutedBy: 1);
    private static readonly MutedTarget DiskOnB = new(12, L(("alertname", "DiskFull"), ("severity", "warning"), ("instance", "b"), ("dc", "us")), MutedBy: 4);

    /// <summary>One release: the muted targets, the sources still firing, the freed target ids and the re-attributions as (target, rule index, source).</summary>
    public sealed record ReleaseCase(
        string Name,
        MutedTarget[] Muted,
        InhibitionSource[] StillFiring,
        long[] ExpectedFreed,
        (long Target, int RuleIndex, long Source)[] ExpectedReattributed)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ReleaseCase> Cases() =>
    [
        new("freed when no other source fires", [LatencyOnA, DiskOnA], [], [10, 11], []),
        new("re-attributed to another source of the same rule", [LatencyOnA], [NodeDownAProbe], [], [(10, 0, 2)]),
        new("re-attributed to a source of another rule", [LatencyOnA], [DatacenterDownEu], [], [(10, 1, 3)]),
        new("the first rule wins over a lower source id of a later rule", [LatencyOnA], [DatacenterDownEu, NodeDownAPing], [], [(10, 0, 7)]),
        new("the lowest occurrence id takes over", [LatencyOnA], [NodeDownAPing, NodeDownAProbe], [], [(10, 0, 2)]),
        new("freed when the other source's equal label differs", [LatencyOnA], [NodeDownB], [10], []),
        new("targets muted by another source are not affected", [DiskOnB], [NodeDownB], [], []),
        new("a mix keeps the order of the muted list", [DiskOnB, LatencyOnA, DiskOnA], [NodeDownB, NodeDownAProbe], [], [(10, 0, 2), (11, 0, 2)]),
        new("the resolved source still listed as firing is ignored", [LatencyOnA], [NodeDownA], [10], []),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Released_FreesOrReattributesTargets_WhenTheirSourceResolves(ReleaseCase testCase)
    {
        var release = InhibitionStage.Released(NodeDownA.OccurrenceId, testCase.Muted, Rules, testCase.StillFiring);

        Assert.Equal(testCase.ExpectedFreed, release.Freed.Select(t => t.OccurrenceId));
        Assert.Equal(
            testCase.ExpectedReattributed,
            release.Reattributed.Select(r => (r.Target.OccurrenceId, r.Inhibition.RuleIndex, r.Inhibition.Source.OccurrenceId)));
    }

    [Fact]
    public void Released_ReturnsNone_WhenNothingWasMutedByTheSource()
    {
        Assert.Same(InhibitionRelease.None, InhibitionStage.Released(NodeDownA.OccurrenceId, [DiskOnB], Rules, [NodeDownB]));
    }
}

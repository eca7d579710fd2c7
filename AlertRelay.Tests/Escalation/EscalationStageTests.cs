using AlertRelay.Core.Alerts;
using AlertRelay.Core.Escalation;

namespace AlertRelay.Tests.Escalation;

/// <summary>Tests for <see cref="EscalationStage"/> on the ladder 0s slack-oncall / 15m email-lead / 30m severity critical.</summary>
public sealed class EscalationStageTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);

    private static readonly EscalationPolicy Ladder = new(
        "default",
        [],
        [
            new EscalationStep(TimeSpan.Zero, "slack-oncall", null),
            new EscalationStep(TimeSpan.FromMinutes(15), "email-lead", null),
            new EscalationStep(TimeSpan.FromMinutes(30), null, "critical"),
        ]);

    private static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    private static readonly TimeSpan FourteenFiftyNine = M(14) + TimeSpan.FromSeconds(59);

    // ---- SelectPolicy ----

    private static EscalationPolicy Policy(string name, string matchers) => new(name, MatcherParser.ParseMatchers(matchers), Ladder.Steps);

    private static readonly EscalationPolicy DbCritical = Policy("db-critical", "team=db,severity=critical");
    private static readonly EscalationPolicy Db = Policy("db", "team=db");
    private static readonly EscalationPolicy CatchAll = Policy("catch-all", "");

    public static TheoryData<string, LabelSet, EscalationPolicy[], string?> SelectPolicyCases() => new()
    {
        { "first match wins although a later policy matches too", LabelSet.From(("team", "db"), ("severity", "critical")), [DbCritical, Db, CatchAll], "db-critical" },
        { "order decides, not specificity", LabelSet.From(("team", "db"), ("severity", "critical")), [Db, DbCritical], "db" },
        { "every matcher must match", LabelSet.From(("team", "db"), ("severity", "warning")), [DbCritical, Db, CatchAll], "db" },
        { "a policy without matchers catches the rest", LabelSet.From(("team", "web")), [DbCritical, Db, CatchAll], "catch-all" },
        { "no policy matches", LabelSet.From(("team", "web")), [DbCritical, Db], null },
        { "no policies", LabelSet.From(("team", "db")), [], null },
    };

    [Theory]
    [MemberData(nameof(SelectPolicyCases))]
    public void SelectPolicy_ReturnsFirstMatchingPolicy_InConfigurationOrder(string name, LabelSet labels, EscalationPolicy[] policies, string? expected)
    {
        Assert.True(expected == EscalationStage.SelectPolicy(labels, policies)?.Name, name);
    }

    // ---- DueSteps and NextDueAt ----

    public static TheoryData<string, int, TimeSpan, int[]> DueStepsCases() => new()
    {
        { "at 0 the first step is due", 0, TimeSpan.Zero, [0] },
        { "at 0 once the first step ran", 1, TimeSpan.Zero, [] },
        { "at 14m59s nothing new", 1, FourteenFiftyNine, [] },
        { "at 14m59s a first step not run yet is still due", 0, FourteenFiftyNine, [0] },
        { "at 15m the second step", 1, M(15), [1] },
        { "at 29m nothing new", 2, M(29), [] },
        { "at 31m the third step", 2, M(31), [2] },
        { "after a 2 h outage all missed steps, in order", 0, TimeSpan.FromHours(2), [0, 1, 2] },
        { "after a 2 h outage the steps not done yet", 1, TimeSpan.FromHours(2), [1, 2] },
        { "ladder done", 3, TimeSpan.FromHours(2), [] },
        { "more steps done than the policy has (policy shortened)", 5, TimeSpan.FromHours(2), [] },
        { "firing since in the future (clock skew)", 0, M(-1), [] },
    };

    [Theory]
    [MemberData(nameof(DueStepsCases))]
    public void DueSteps_ReturnsStepsNotDoneAndDue_InOrder(string name, int stepsDone, TimeSpan elapsed, int[] expected)
    {
        var due = EscalationStage.DueSteps(Ladder, Start, stepsDone, Start + elapsed);

        Assert.True(expected.SequenceEqual(due.Select(d => d.Index)), name);
        Assert.All(due, d => Assert.Same(Ladder.Steps[d.Index], d.Step));
    }

    [Fact]
    public void DueSteps_NeverSkipsAhead_WhenStepsAreOutOfOrder()
    {
        var misordered = new EscalationPolicy("misordered", [], [Ladder.Steps[0], Ladder.Steps[2], Ladder.Steps[1]]);

        Assert.Empty(EscalationStage.DueSteps(misordered, Start, 1, Start + M(20)));
        Assert.Equal([1, 2], EscalationStage.DueSteps(misordered, Start, 1, Start + M(30)).Select(d => d.Index));
    }

    [Fact]
    public void DueSteps_Throws_WhenStepsDoneIsNegative()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EscalationStage.DueSteps(Ladder, Start, -1, Start));
    }

    public static TheoryData<string, int, TimeSpan?> NextDueAtCases() => new()
    {
        { "nothing done: the first step, at once", 0, TimeSpan.Zero },
        { "one done: the second step at 15m", 1, M(15) },
        { "two done: the third step at 30m", 2, M(30) },
        { "ladder done", 3, null },
        { "more done than the policy has", 4, null },
    };

    [Theory]
    [MemberData(nameof(NextDueAtCases))]
    public void NextDueAt_ReturnsDueTimeOfNextStep_OrNullWhenLadderDone(string name, int stepsDone, TimeSpan? expected)
    {
        Assert.True(Start + expected == EscalationStage.NextDueAt(Ladder, Start, stepsDone), name);
    }

    [Fact]
    public void NextDueAt_IsTheEndOfTime_ForAnAlertStartingNearYear9999_InsteadOfOverflowing()
    {
        var farFuture = new DateTimeOffset(9999, 12, 31, 23, 59, 0, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.MaxValue, EscalationStage.NextDueAt(Ladder, farFuture, 1));
        Assert.Empty(EscalationStage.DueSteps(Ladder, farFuture, 1, DateTimeOffset.MaxValue.AddMinutes(-1)));
    }

    // ---- Decide ----

    /// <summary>One <see cref="EscalationStage.Decide"/> case; times are offsets from the start of firing.</summary>
    public sealed record DecideCase(
        string Name,
        int StepsDone,
        bool Firing,
        (TimeSpan At, TimeSpan? ExpiresAt)? Ack,
        TimeSpan Now,
        EscalationReason Expected,
        int[] ExpectedSteps,
        TimeSpan? ExpectedNextCheck,
        TimeSpan? SilencedUntil = null)
    {
        public override string ToString() => Name;
    }

    private static readonly (TimeSpan, TimeSpan?) AckedAt10m = (M(10), null);
    private static readonly (TimeSpan, TimeSpan?) AckedAt10mUntil40m = (M(10), M(40));

    public static TheoryData<DecideCase> DecideCases() =>
    [
        new("at 0: notify slack-oncall", 0, true, null, TimeSpan.Zero, EscalationReason.StepsDue, [0], M(15)),
        new("at 14m59s: wait until 15m", 1, true, null, FourteenFiftyNine, EscalationReason.NotYetDue, [], M(15)),
        new("at 15m: notify email-lead", 1, true, null, M(15), EscalationReason.StepsDue, [1], M(30)),
        new("at 29m: wait until 30m", 2, true, null, M(29), EscalationReason.NotYetDue, [], M(30)),
        new("at 31m: raise to critical, ladder then done", 2, true, null, M(31), EscalationReason.StepsDue, [2], null),
        new("at 31m once all ran: complete", 3, true, null, M(31), EscalationReason.LadderComplete, [], null),
        new("after a 2 h outage: the missed steps at once, in order", 1, true, null, TimeSpan.FromHours(2), EscalationReason.StepsDue, [1, 2], null),
        new("acknowledged at 10m, at 15m: nothing", 1, true, AckedAt10m, M(15), EscalationReason.Acknowledged, [], null),
        new("acknowledged at 10m, 2 h later: still nothing", 1, true, AckedAt10m, TimeSpan.FromHours(2), EscalationReason.Acknowledged, [], null),
        new("ack until 40m, at 20m: look again at 40m", 1, true, AckedAt10mUntil40m, M(20), EscalationReason.Acknowledged, [], M(40)),
        new("ack until 40m, at 39m: look again at 40m", 1, true, AckedAt10mUntil40m, M(39), EscalationReason.Acknowledged, [], M(40)),
        new("ack until 40m, at 40m: the steps due meanwhile, once each", 1, true, AckedAt10mUntil40m, M(40), EscalationReason.StepsDue, [1, 2], null),
        new("ack until 12m, at 11m: look again when the next step is due", 1, true, (M(10), M(12)), M(11), EscalationReason.Acknowledged, [], M(15)),
        new("ack until 12m, at 13m: waiting on the normal schedule", 1, true, (M(10), M(12)), M(13), EscalationReason.NotYetDue, [], M(15)),
        new("resolved at 20m", 1, false, null, M(20), EscalationReason.Resolved, [], null),
        new("resolved while acknowledged", 1, false, AckedAt10m, M(20), EscalationReason.Resolved, [], null),
        new("acknowledged after the ladder completed", 3, true, AckedAt10mUntil40m, M(35), EscalationReason.LadderComplete, [], null),
        new("silenced until 40m, at 20m: look again at 40m", 1, true, null, M(20), EscalationReason.Silenced, [], M(40), M(40)),
        new("silenced until 20m, at 16m: look again at 30m, when the next step is due", 2, true, null, M(16), EscalationReason.Silenced, [], M(30), M(20)),
        new("silence ended at 40m, at 40m: the steps due meanwhile, once each", 1, true, null, M(40), EscalationReason.StepsDue, [1, 2], null, M(40)),
        new("acknowledged and silenced: acknowledged wins", 1, true, AckedAt10m, M(20), EscalationReason.Acknowledged, [], null, M(40)),
        new("silenced, then resolved", 1, false, null, M(20), EscalationReason.Resolved, [], null, M(40)),
    ];

    [Theory]
    [MemberData(nameof(DecideCases))]
    public void Decide_ReturnsStopWaitOrRun_ForEachState(DecideCase testCase)
    {
        var ack = testCase.Ack is { } a ? new Acknowledgement("alice", null, Start + a.At, Start + a.ExpiresAt) : null;
        var state = new EscalationState(Ladder, Start, testCase.StepsDone, testCase.Firing, ack, Start + testCase.SilencedUntil);

        var decision = EscalationStage.Decide(state, Start + testCase.Now);

        Assert.Equal(testCase.Expected, decision.Reason);
        Assert.Equal(testCase.ExpectedSteps, decision.Steps.Select(s => s.Index));
        Assert.Equal(Start + testCase.ExpectedNextCheck, decision.NextCheckAt);
        Assert.Equal(testCase.Expected is EscalationReason.Resolved or EscalationReason.Acknowledged or EscalationReason.Silenced or EscalationReason.LadderComplete, decision.Stops);
    }

    // ---- EffectiveSeverity ----

    public static TheoryData<string, EscalationStep[], string> EffectiveSeverityCases() => new()
    {
        { "no steps done", [], "warning" },
        { "notify steps only", [Ladder.Steps[0], Ladder.Steps[1]], "warning" },
        { "one severity change", [.. Ladder.Steps], "critical" },
        { "the last change wins", [new(M(0), null, "critical"), new(M(5), null, "page")], "page" },
        { "an empty severity is no change", [new(M(0), null, "critical"), new(M(5), "email-lead", "")], "critical" },
    };

    [Theory]
    [MemberData(nameof(EffectiveSeverityCases))]
    public void EffectiveSeverity_ReturnsLastSetSeverity_OrOriginal(string name, EscalationStep[] stepsDone, string expected)
    {
        Assert.True(expected == EscalationStage.EffectiveSeverity("warning", stepsDone), name);
    }

    [Theory]
    [InlineData(0, "warning")]
    [InlineData(2, "warning")]
    [InlineData(3, "critical")]
    [InlineData(9, "critical")]
    public void EffectiveSeverity_CountsOnlyStepsDone_WhenGivenPolicy(int stepsDone, string expected)
    {
        Assert.Equal(expected, EscalationStage.EffectiveSeverity("warning", Ladder, stepsDone));
    }
}

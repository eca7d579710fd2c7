using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

/// <summary>The pure decisions behind silences: who gets the slot, and which matchers a silence has.</summary>
public sealed class SilenceDecisionTests
{
    private const long Now = 1_000_000;

    public static TheoryData<string, string?, string?, string?, long?, SilenceClaimOutcome> Slots => new()
    {
        { "no such occurrence", null, null, null, null, SilenceClaimOutcome.NotFound },
        { "firing, never silenced", "firing", null, null, null, SilenceClaimOutcome.Claimed },
        { "resolved", "resolved", null, null, null, SilenceClaimOutcome.AlreadyResolved },
        { "silenced until later", "firing", "sid", "Alice", Now + 1, SilenceClaimOutcome.AlreadySilenced },
        { "resolved but still silenced", "resolved", "sid", "Alice", Now + 1, SilenceClaimOutcome.AlreadySilenced },
        { "silence ended, watcher not yet there", "firing", "sid", "Alice", Now, SilenceClaimOutcome.Claimed },
        { "claimed by another request", "firing", null, "claim:x", Now + 1, SilenceClaimOutcome.Busy },
        { "claim lapsed (its holder crashed)", "firing", null, "claim:x", Now, SilenceClaimOutcome.Claimed },
        { "claim lapsed on a resolved occurrence", "resolved", null, "claim:x", Now, SilenceClaimOutcome.AlreadyResolved },
    };

    [Theory]
    [MemberData(nameof(Slots))]
    public void Decide_GivesTheSlot_OnlyWhenNothingHoldsIt(string name, string? status, string? silenceId, string? by, long? endsAtMs, SilenceClaimOutcome expected)
    {
        var row = status is null ? null : new SilenceRow { Id = 1, Status = status, SilenceId = silenceId, SilencedBy = by, SilenceEndsAtMs = endsAtMs };

        Assert.True(expected == SilenceRow.Decide(row, Now), $"{name}: {SilenceRow.Decide(row, Now)}");
    }

    public static TheoryData<string, string[], string> MatcherCases => new()
    {
        { "nothing excluded", [], """{alertname="DiskFull", instance="db-1", severity="critical"}""" },
        { "instance excluded", ["instance"], """{alertname="DiskFull", severity="critical"}""" },
        { "a name the alert lacks", ["pod"], """{alertname="DiskFull", instance="db-1", severity="critical"}""" },
        { "names are case-sensitive", ["Instance"], """{alertname="DiskFull", instance="db-1", severity="critical"}""" },
        { "everything excluded", ["alertname", "instance", "severity"], "{}" },
    };

    [Theory]
    [MemberData(nameof(MatcherCases))]
    public void From_KeepsTheLabelsNotExcluded_AsEqualityMatchers(string name, string[] excluded, string expected)
    {
        var labels = LabelSet.From(("severity", "critical"), ("alertname", "DiskFull"), ("instance", "db-1"));

        Assert.True(expected == SilenceMatchers.Describe(SilenceMatchers.From(labels, excluded)), name);
    }

    [Fact]
    public void From_LeavesOutEmptyValues_AndDescribeEscapesQuotes()
    {
        var labels = LabelSet.From(("alertname", "A"), ("empty", ""), ("path", "C:\\x \"y\""));

        Assert.Equal("""{alertname="A", path="C:\\x \"y\""}""", SilenceMatchers.Describe(SilenceMatchers.From(labels, [])));
    }

    [Fact]
    public void Body_IsAlertmanagersPostableSilence()
    {
        var spec = new SilenceSpec([new SilenceMatcher("alertname", "DiskFull")], SilenceRig.T0, SilenceRig.T0.AddHours(1), "Alice", "on it");

        Assert.Equal(
            """{"matchers":[{"name":"alertname","value":"DiskFull","isRegex":false,"isEqual":true}],"startsAt":"2026-11-24T00:00:00.000Z","endsAt":"2026-11-24T01:00:00.000Z","createdBy":"Alice","comment":"on it"}""",
            AlertmanagerClient.Body(spec).ToJsonString());
    }
}

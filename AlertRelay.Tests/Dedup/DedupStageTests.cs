using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;

namespace AlertRelay.Tests.Dedup;

public class DedupStageTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);
    private static readonly LabelSet Labels = LabelSet.From(("alertname", "HighErrorRate"), ("severity", "critical"));
    private static readonly LabelSet Summary = LabelSet.From(("summary", "Error rate is 7.5%"));
    private static readonly long StartMs = UnixMillis.From(Start);

    private static Alert Incoming(AlertStatus status, LabelSet? annotations = null, DateTimeOffset? startsAt = null) =>
        new(Fingerprint.Of(Labels), status, Labels, annotations ?? Summary, startsAt ?? Start,
            status == AlertStatus.Resolved ? Start.AddMinutes(5) : null, "");

    private static StoredIdentity Stored(AlertStatus status, LabelSet? annotations = null, long? latestStartsAtMs = null, bool pending = false) =>
        new(new OccurrenceState(1, status, OccurrenceState.HashAnnotations(annotations ?? Summary), ReopenPending: pending), latestStartsAtMs ?? StartMs);

    public static TheoryData<string, StoredIdentity, Alert, AlertChange> Cases => new()
    {
        { "first sight of a firing alert", StoredIdentity.Unknown, Incoming(AlertStatus.Firing), AlertChange.Received },
        { "first sight of an already resolved alert", StoredIdentity.Unknown, Incoming(AlertStatus.Resolved), AlertChange.Received | AlertChange.Resolved },
        { "group re-send while firing", Stored(AlertStatus.Firing), Incoming(AlertStatus.Firing), AlertChange.None },
        { "HA twin of a resolve", Stored(AlertStatus.Resolved), Incoming(AlertStatus.Resolved), AlertChange.None },
        { "resolve of a firing occurrence", Stored(AlertStatus.Firing), Incoming(AlertStatus.Resolved), AlertChange.Resolved },
        { "annotations changed while firing", Stored(AlertStatus.Firing), Incoming(AlertStatus.Firing, LabelSet.From(("summary", "12%"))), AlertChange.AnnotationsChanged },
        { "resolve with new annotations", Stored(AlertStatus.Firing), Incoming(AlertStatus.Resolved, LabelSet.From(("summary", "0%"))), AlertChange.Resolved | AlertChange.AnnotationsChanged },
        { "firing again with the same startsAt after a resolve", Stored(AlertStatus.Resolved), Incoming(AlertStatus.Firing), AlertChange.Reopened },
        { "new startsAt after an earlier occurrence", new StoredIdentity(null, StartMs - 60_000), Incoming(AlertStatus.Firing), AlertChange.Refired },
        { "late firing copy of an older occurrence: superseded", new StoredIdentity(null, StartMs + 60_000), Incoming(AlertStatus.Firing), AlertChange.Received | AlertChange.Superseded },
        { "late resolved copy of an older occurrence", new StoredIdentity(null, StartMs + 60_000), Incoming(AlertStatus.Resolved), AlertChange.Received | AlertChange.Resolved },
        { "stale firing copy of a superseded occurrence", Stored(AlertStatus.Resolved, latestStartsAtMs: StartMs + 60_000), Incoming(AlertStatus.Firing, LabelSet.From(("summary", "old"))), AlertChange.None },
        { "late resolve of a superseded occurrence still firing", Stored(AlertStatus.Firing, latestStartsAtMs: StartMs + 60_000), Incoming(AlertStatus.Resolved), AlertChange.Resolved },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_ReturnsOnlyRealChanges(string name, StoredIdentity stored, Alert incoming, AlertChange expected)
    {
        Assert.True(expected == DedupStage.Decide(stored, incoming), name);
    }

    /// <summary>With a re-open grace: a resolved occurrence arriving firing is a candidate until a resolve cancels it.</summary>
    public static TheoryData<string, StoredIdentity, Alert, AlertChange> GraceCases => new()
    {
        { "firing copy of a resolved occurrence: a re-open candidate", Stored(AlertStatus.Resolved), Incoming(AlertStatus.Firing), AlertChange.ReopenPending },
        { "another firing copy while the candidate waits: a duplicate", Stored(AlertStatus.Resolved, pending: true), Incoming(AlertStatus.Firing), AlertChange.None },
        { "a resolve while the candidate waits: the firing copy was stale", Stored(AlertStatus.Resolved, pending: true), Incoming(AlertStatus.Resolved), AlertChange.StaleCopy },
        { "a resolve of a resolved occurrence without a candidate: a duplicate", Stored(AlertStatus.Resolved), Incoming(AlertStatus.Resolved), AlertChange.None },
        { "new annotations on a waiting candidate are still recorded", Stored(AlertStatus.Resolved, pending: true), Incoming(AlertStatus.Firing, LabelSet.From(("summary", "12%"))), AlertChange.AnnotationsChanged },
        { "a late resolve of a superseded candidate cancels it", Stored(AlertStatus.Resolved, latestStartsAtMs: StartMs + 60_000, pending: true), Incoming(AlertStatus.Resolved), AlertChange.StaleCopy },
        { "a firing copy of a superseded resolved occurrence: nothing", Stored(AlertStatus.Resolved, latestStartsAtMs: StartMs + 60_000), Incoming(AlertStatus.Firing), AlertChange.None },
        { "a resolve of a firing occurrence is unchanged by the grace", Stored(AlertStatus.Firing), Incoming(AlertStatus.Resolved), AlertChange.Resolved },
    };

    [Theory]
    [MemberData(nameof(GraceCases))]
    public void Decide_HoldsReopens_WhenAGraceIsSet(string name, StoredIdentity stored, Alert incoming, AlertChange expected)
    {
        Assert.True(expected == DedupStage.Decide(stored, incoming, holdReopens: true), $"{name}: {DedupStage.Decide(stored, incoming, holdReopens: true)}");
    }

    public static TheoryData<string, StoredIdentity, AlertChange> DueCases => new()
    {
        { "a waiting candidate of the newest occurrence is confirmed", Stored(AlertStatus.Resolved, pending: true), AlertChange.Reopened },
        { "a candidate replaced by a newer occurrence is cancelled", Stored(AlertStatus.Resolved, latestStartsAtMs: StartMs + 60_000, pending: true), AlertChange.StaleCopy },
        { "an occurrence that is no candidate is left alone", Stored(AlertStatus.Resolved), AlertChange.None },
        { "an occurrence gone from the store is left alone", new StoredIdentity(null, StartMs), AlertChange.None },
    };

    [Theory]
    [MemberData(nameof(DueCases))]
    public void DecideDue_ConfirmsOrCancels_WhenTheGraceHasEnded(string name, StoredIdentity stored, AlertChange expected)
    {
        Assert.True(expected == DedupStage.DecideDue(stored, StartMs), name);
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using static AlertRelay.Tests.Pipeline.AlertChainTimeIntervalTests;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// The unmute pass through the chain, without a database: a critical muted for team at 08:50 (team is active in office hours only)
/// is notified to team by the pass at 09:00, once; resolved, acknowledged or still muted, it is not.
/// </summary>
public sealed class AlertChainUnmuteTests
{
    private static readonly DateTimeOffset Monday0850 = new(2026, 11, 30, 8, 50, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday0900 = Monday0850.AddMinutes(10);

    private readonly InMemoryIngestTransaction _store = new();
    private readonly IngestState _state = new(new IdentityIndex());

    private AlertChain Chain(DateTimeOffset now) => new(Config, _state, _store, UnixMillis.From(now), digestThreshold: 10);

    private void Apply(DateTimeOffset now, Alert alert) => Chain(now).Apply(Message(alert));

    private (IngestResult Result, List<AlertPlan> Plans) Pass(DateTimeOffset now)
    {
        var plans = new List<AlertPlan>();
        return (Chain(now).NotifyUnmuted(plans), plans);
    }

    private string[] Queued(NotificationKind kind) => _store.Queued.Where(n => n.Kind == kind).Select(n => n.Target.Receiver).ToArray();

    [Fact]
    public void NotifyUnmuted_NotifiesTheReceiverOnce_WhenItsMuteEndsWhileTheAlertStillFires()
    {
        Apply(Monday0850, Alert("NodeDown", "critical", Monday0850));
        Assert.Equal(["pager"], Queued(NotificationKind.Firing));
        Assert.Equal([(1L, "team")], _store.MutedReceivers.Keys);

        var (result, plans) = Pass(Monday0900);

        Assert.Equal(new IngestResult(1, 0, 1, 0), result);
        Assert.Equal(["pager", "team"], Queued(NotificationKind.Firing));
        var plan = Assert.Single(plans);
        Assert.Equal(AlertChange.Unmuted, plan.Change);
        var unmuted = Assert.Single(plan.Events, e => e.Kind == EventKinds.Unmuted);
        Assert.Equal("""{"receiver":"team","mutedSince":"2026-11-30T08:50:00.000Z"}""", unmuted.DetailJson);
        Assert.Empty(_store.MutedReceivers);

        Assert.Equal(new IngestResult(0, 0, 0, 0), Pass(Monday0900.AddSeconds(15)).Result);
        Assert.Equal(["pager", "team"], Queued(NotificationKind.Firing));

        // Both were told it fires: both hear it resolve.
        Apply(Monday0900.AddMinutes(5), Alert("NodeDown", "critical", Monday0850, AlertStatus.Resolved));
        Assert.Equal(["pager", "team"], Queued(NotificationKind.Resolved));
    }

    [Fact]
    public void NotifyUnmuted_NotifiesNothing_WhileTheReceiverIsStillMuted()
    {
        Apply(Monday0850, Alert("NodeDown", "critical", Monday0850));

        var (result, plans) = Pass(Monday0900.AddSeconds(-1));

        Assert.Equal(new IngestResult(1, 0, 0, 0), result);
        Assert.Empty(plans);
        Assert.Equal(["pager"], Queued(NotificationKind.Firing));
        Assert.Equal([(1L, "team")], _store.MutedReceivers.Keys);
    }

    [Fact]
    public void NotifyUnmuted_NotifiesNothing_WhenTheAlertResolvedBeforeTheMuteEnded()
    {
        Apply(Monday0850, Alert("NodeDown", "critical", Monday0850));
        Apply(Monday0850.AddMinutes(5), Alert("NodeDown", "critical", Monday0850, AlertStatus.Resolved));
        Assert.Empty(_store.MutedReceivers); // the resolve deleted the row

        var (result, _) = Pass(Monday0900);

        Assert.Equal(new IngestResult(0, 0, 0, 0), result);
        Assert.Equal(["pager"], Queued(NotificationKind.Firing));
        Assert.Equal(["pager"], Queued(NotificationKind.Resolved));
    }

    [Fact]
    public void NotifyUnmuted_DropsTheRowWithoutNotifying_WhenSomeoneAcknowledgedTheAlert()
    {
        Apply(Monday0850, Alert("NodeDown", "critical", Monday0850));
        _store.Acked[1] = null;

        var (result, plans) = Pass(Monday0900);

        Assert.Equal(new IngestResult(1, 0, 0, 0), result);
        Assert.DoesNotContain(Assert.Single(plans).Events, e => e.Kind == EventKinds.Unmuted);
        Assert.Equal(["pager"], Queued(NotificationKind.Firing));
        Assert.Empty(_store.MutedReceivers);
    }

    [Fact]
    public void Apply_DeletesTheRowOfTheSupersededOccurrence_WhenTheAlertFiresAgainWithANewStart()
    {
        Apply(Monday0850, Alert("NodeDown", "critical", Monday0850));
        var later = Monday0850.AddMinutes(5);

        Apply(later, Alert("NodeDown", "critical", later)); // a new startsAt: occurrence 1 is superseded, 2 is muted for team

        Assert.Equal([(2L, "team")], _store.MutedReceivers.Keys);
    }
}

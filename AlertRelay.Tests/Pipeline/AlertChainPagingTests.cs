using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using AlertRelay.Tests.Schedules;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// A route to <c>oncall:primary</c> through the chain, without a database: the page is decided when the occurrence is heard (at open,
/// or when its inhibition is released), for whoever is on call then; the notifications carry it and the timeline says who was paged.
/// </summary>
public sealed class AlertChainPagingTests
{
    private static readonly DateTimeOffset AliceWeek = new(2026, 1, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BobWeek = new(2026, 1, 13, 12, 0, 0, TimeSpan.Zero);

    private static readonly RelayConfig Config = WithPaging(RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: oncall-slack
        receivers:
          - name: oncall-slack
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [instance]
        """, "alertrelay.yml"));

    private static RelayConfig WithPaging(RelayConfig loaded)
    {
        var paging = PagingConfigs.Config(PagingConfigs.Primary(), [PagingConfigs.OncallSlack()]);
        return paging with { InhibitRules = loaded.InhibitRules, Route = new Route("oncall:primary", [], false, []) };
    }

    private static Alert Alert(string name, string severity, AlertStatus status = AlertStatus.Firing)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", severity), ("instance", "db1"));
        return new Alert(Fingerprint.Of(labels), status, labels, LabelSet.Empty, AliceWeek, status == AlertStatus.Resolved ? BobWeek : null, "");
    }

    private static WebhookMessage Message(params Alert[] alerts) =>
        new("relay", alerts[0].Status, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://am:9093", alerts);

    private static (InMemoryIngestTransaction Store, IngestState State) Empty() => (new InMemoryIngestTransaction(), new IngestState(new IdentityIndex()));

    [Fact]
    public void Apply_PagesWhoeverIsOnCall_WhenTheOccurrenceOpens()
    {
        var (store, state) = Empty();
        var plans = new List<AlertPlan>();

        new AlertChain(Config, state, store, UnixMillis.From(AliceWeek), digestThreshold: 10).Apply(Message(Alert("NodeDown", "critical")), plans);

        var alice = new OncallPage("primary", "alice");
        Assert.All(store.Queued, n => Assert.Equal(alice, n.Page));
        Assert.Equal(["oncall-slack", "oncall-slack", "oncall-slack", "oncall:primary/alice", "oncall:primary/alice"], store.Queued.Select(n => n.Target.Receiver));
        var paged = Assert.Single(plans[0].Events, e => e.Kind == EventKinds.Paged);
        Assert.Equal(
            """{"schedule":"primary","participant":"alice","via":["oncall-slack/slack[0]","oncall-slack/slack[1]","oncall-slack/email[0]","oncall:primary/alice/slack[0]","oncall:primary/alice/email[0]"],"step":null}""",
            paged.DetailJson);
    }

    [Fact]
    public void Apply_PagesWhoeverIsOnCallAtTheRelease_WhenAnInhibitedOccurrenceIsReleased()
    {
        var (store, state) = Empty();
        new AlertChain(Config, state, store, UnixMillis.From(AliceWeek), digestThreshold: 10)
            .Apply(Message(Alert("NodeDown", "critical"), Alert("DiskSlow", "warning")));
        Assert.DoesNotContain(store.Queued, n => n.OccurrenceIds.Contains(2)); // muted: nobody paged
        store.Queued.Clear();
        var plans = new List<AlertPlan>();

        new AlertChain(Config, state, store, UnixMillis.From(BobWeek), digestThreshold: 10)
            .Apply(Message(Alert("NodeDown", "critical", AlertStatus.Resolved)), plans);

        var released = store.Queued.Where(n => n.Kind == NotificationKind.Firing).ToList();
        Assert.NotEmpty(released);
        Assert.All(released, n => Assert.Equal((2L, new OncallPage("primary", "bob")), (n.OccurrenceIds.Single(), n.Page)));
        Assert.Contains(plans[0].Events, e => e.OccurrenceId == 2 && e.Kind == EventKinds.Paged && e.DetailJson!.Contains("\"participant\":\"bob\""));
        Assert.All(store.Queued.Where(n => n.Kind == NotificationKind.Resolved), n => Assert.Null(n.Page)); // a resolve pages nobody
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// Time intervals through the chain, without a database: a muted receiver gets a <c>muted</c> event and no notification (and so
/// no resolve), a receiver outside the intervals is notified, and a resolve of a sent notification is still delivered.
/// </summary>
public sealed class AlertChainTimeIntervalTests
{
    internal static readonly DateTimeOffset Saturday = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset MondayMorning = new(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset MondayEvening = new(2026, 11, 30, 20, 0, 0, TimeSpan.Zero);

    internal static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: team
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
              mute_time_intervals: [weekends]
              continue: true
            - matchers: ['severity="critical"']
              receiver: team
              active_time_intervals: [office-hours]
            - matchers: ['severity="warning"']
              receiver: team
              mute_time_intervals: [weekends]
        receivers:
          - name: pager
            slack_configs: [{channel: '#pager', bot_token: xoxb-test, send_resolved: true}]
          - name: team
            slack_configs: [{channel: '#team', bot_token: xoxb-test, send_resolved: true}]
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
            equal: [instance]
        time_intervals:
          - name: weekends
            time_intervals: [{weekdays: [saturday, sunday]}]
          - name: office-hours
            time_intervals:
              - weekdays: ['monday:friday']
                times: [{start_time: '09:00', end_time: '17:00'}]
        """, "alertrelay.yml");

    internal static Alert Alert(string name, string severity, DateTimeOffset startsAt, AlertStatus status = AlertStatus.Firing)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", severity), ("instance", "db1"));
        return new Alert(Fingerprint.Of(labels), status, labels, LabelSet.Empty, startsAt, status == AlertStatus.Resolved ? startsAt.AddMinutes(5) : null, "");
    }

    internal static WebhookMessage Message(params Alert[] alerts) =>
        new("relay", alerts[0].Status, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://am:9093", alerts);

    private readonly InMemoryIngestTransaction _store = new();
    private readonly IngestState _state = new(new IdentityIndex());

    private List<AlertPlan> Apply(DateTimeOffset now, params Alert[] alerts)
    {
        var plans = new List<AlertPlan>();
        new AlertChain(Config, _state, _store, UnixMillis.From(now), digestThreshold: 10).Apply(Message(alerts), plans);
        return plans;
    }

    private static string[] Muted(AlertPlan plan) => plan.Events.Where(e => e.Kind == EventKinds.Muted).Select(e => e.DetailJson!).ToArray();

    private string[] Queued(NotificationKind kind) => _store.Queued.Where(n => n.Kind == kind).Select(n => n.Target.Receiver).ToArray();

    [Fact]
    public void Apply_MutesEveryReceiver_WhenEachRouteIsMutedNow()
    {
        var plan = Apply(Saturday, Alert("NodeDown", "critical", Saturday)).Single();

        Assert.Empty(plan.Notifications);
        Assert.Empty(_store.Queued);
        Assert.Equal(
            ["""{"receiver":"pager","intervals":["weekends"],"reason":"mute_time_intervals"}""",
             """{"receiver":"team","intervals":["office-hours"],"reason":"active_time_intervals"}"""],
            Muted(plan));
    }

    [Theory]
    [InlineData(false, new[] { "pager", "team" }, new string[0])] // Monday 10:00: both
    [InlineData(true, new[] { "pager" }, new[] { "team" })] // Monday 20:00: outside office hours
    public void Apply_NotifiesOnlyUnmutedReceivers_OutsideTheIntervals(bool evening, string[] sent, string[] muted)
    {
        var now = evening ? MondayEvening : MondayMorning;

        var plan = Apply(now, Alert("NodeDown", "critical", now)).Single();

        Assert.Equal(sent, Queued(NotificationKind.Firing));
        Assert.Equal(muted.Length, Muted(plan).Length);
        Assert.All(muted, receiver => Assert.Contains(Muted(plan), e => e.Contains($"\"receiver\":\"{receiver}\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void Apply_SendsNoResolve_WhenTheFiringNotificationWasMuted()
    {
        Apply(Saturday, Alert("NodeDown", "critical", Saturday));

        var resolve = Apply(Saturday.AddHours(1), Alert("NodeDown", "critical", Saturday, AlertStatus.Resolved)).Single();

        Assert.Contains(resolve.Events, e => e.Kind == EventKinds.Resolved);
        Assert.Empty(_store.Queued);
    }

    [Fact]
    public void Apply_DeliversTheResolve_OfANotificationThatWasSent_EvenInsideAMuteInterval()
    {
        var friday = MondayMorning.AddDays(-3);
        Apply(friday, Alert("NodeDown", "critical", friday));

        Apply(Saturday, Alert("NodeDown", "critical", friday, AlertStatus.Resolved));

        Assert.Equal(["pager", "team"], Queued(NotificationKind.Resolved));
    }

    [Fact]
    public void Apply_MutesTheReleasedTarget_WhenItsSourceResolvesInsideTheInterval()
    {
        var friday = MondayMorning.AddDays(-3);
        Apply(friday, Alert("NodeDown", "critical", friday), Alert("DiskSlow", "warning", friday));
        Assert.Equal(["pager", "team"], Queued(NotificationKind.Firing)); // the critical only: the warning is inhibited

        var plans = Apply(Saturday, Alert("NodeDown", "critical", friday, AlertStatus.Resolved));

        var events = plans.Single().Events;
        Assert.Contains(events, e => e.Kind == EventKinds.Uninhibited);
        var muted = Assert.Single(events, e => e.Kind == EventKinds.Muted);
        Assert.Equal("""{"receiver":"team","intervals":["weekends"],"reason":"mute_time_intervals"}""", muted.DetailJson);
        Assert.Equal(["pager", "team"], Queued(NotificationKind.Firing)); // nothing more: the released warning is muted
    }
}

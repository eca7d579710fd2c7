using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Pipeline;
using AlertRelay.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>Heartbeats in the chain as plans, without a database: what a message records, and what a pass plans.</summary>
public sealed class HeartbeatChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: team
        receivers:
          - name: team
          - name: ops
            slack_configs:
              - channel: '#ops'
                bot_token: xoxb-test
                send_resolved: true
        heartbeats:
          - name: prometheus
            matchers: ['alertname="Watchdog"']
            timeout: 1m
            receiver: ops
        """, "alertrelay.yml");

    private readonly InMemoryIngestTransaction _store = new();
    private readonly IngestState _state = new(new IdentityIndex());
    private readonly HeartbeatWatch _watch = new(new FakeTimeProvider(T0));

    private AlertChain Chain(DateTimeOffset now)
    {
        _state.Prepare(_store, Config);
        return new AlertChain(Config, _state, _store, UnixMillis.From(now), digestThreshold: 10);
    }

    private static WebhookMessage Watchdog()
    {
        var labels = LabelSet.From(("alertname", "Watchdog"));
        return new WebhookMessage("relay", AlertStatus.Firing, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
            [new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, T0.AddHours(-1), null, "")]);
    }

    [Fact]
    public void Apply_RecordsTheHeartbeatSeen_WhenTheWatchdogIsAReSend()
    {
        Chain(T0).Apply(Watchdog());
        var resend = Chain(T0.AddSeconds(30)).Apply(Watchdog());

        Assert.Equal(1, resend.Duplicates);
        Assert.Equal(UnixMillis.From(T0.AddSeconds(30)), _store.Heartbeats["prometheus"].LastSeenMs);
    }

    [Fact]
    public void CheckHeartbeats_PlansHeartbeatMissingToTheHeartbeatsReceiver_WhenTheTimeoutPassed()
    {
        Chain(T0).Apply(Watchdog());
        var plans = new List<AlertPlan>();

        var result = Chain(T0.AddMinutes(1)).CheckHeartbeats(_watch, plans);

        var plan = Assert.Single(plans);
        Assert.Equal(1, result.Created);
        Assert.Equal(("HeartbeatMissing", "critical", "prometheus"), (plan.Alert.Name, plan.Alert.Severity, plan.Alert.Labels.Get("heartbeat")));
        Assert.Equal(["ops"], plan.Insert!.Receivers.Names);
        Assert.Equal(("alertrelay", "heartbeat:prometheus"), (plan.Insert.Context.Receiver, plan.Insert.Context.GroupKey));
        Assert.Equal([EventKinds.Received, EventKinds.Routed], plan.EventsOrEmpty.Select(e => e.Kind));
        Assert.Equal("ops", Assert.Single(plan.NotificationsOrEmpty).Target.Receiver);
        Assert.Equal(UnixMillis.From(T0.AddMinutes(1)), _store.Heartbeats["prometheus"].MissingStartsAtMs);
    }

    [Fact]
    public void CheckHeartbeats_ResolvesHeartbeatMissing_WhenTheWatchdogIsBack()
    {
        Chain(T0).Apply(Watchdog());
        Chain(T0.AddMinutes(1)).CheckHeartbeats(_watch);
        Chain(T0.AddMinutes(2)).Apply(Watchdog());
        var plans = new List<AlertPlan>();

        var result = Chain(T0.AddMinutes(2)).CheckHeartbeats(_watch, plans);

        var plan = Assert.Single(plans);
        Assert.Equal(1, result.Changed);
        Assert.Equal(AlertStatus.Resolved, plan.Update!.Status);
        Assert.Equal(UnixMillis.From(T0.AddMinutes(2)), plan.Update.EndsAtMs);
        Assert.Equal([EventKinds.Resolved], plan.EventsOrEmpty.Select(e => e.Kind)); // the annotations it was stored with: no change
        Assert.Null(_store.Heartbeats["prometheus"].MissingStartsAtMs);
    }
}

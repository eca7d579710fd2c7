using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Notify;

/// <summary>
/// Which delivery a resolve updates (a Slack <c>chat.update</c>, an e-mail reply): the message that announced the
/// occurrence's latest firing to the same integration, so that after a re-open no FIRING message is left standing.
/// </summary>
public abstract class ResolveReferenceContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingNotifier _slack = new(Integrations.Slack);
    private OutboxDispatcher? _dispatcher;

    private static readonly RelayConfig Config = new(
        new Route("oncall", [], false, []),
        [new ReceiverConfig("oncall", [new SlackConfig { Channel = "#oncall", ApiUrl = "http://127.0.0.1:1/hook", SendResolved = true }], [], [])],
        [],
        [],
        null);

    private static readonly Alert Firing = new(
        Fingerprint.Of(LabelSet.From(("alertname", "ApiDown"))), AlertStatus.Firing, LabelSet.From(("alertname", "ApiDown")), LabelSet.Empty, T0, null, "");

    private static readonly Alert Resolved = Firing with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(5) };

    private OutboxDispatcher Dispatcher => _dispatcher ??= TestDispatcher.Create(
        Store.Outbox, Config, _time, new NotifyOptions { InitialBackoffSeconds = 1, LeaseSeconds = 60 }, Store.Signal, _slack);

    private static WebhookMessage Message(Alert alert) =>
        new("relay", alert.Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [alert]);

    [Fact]
    public async Task Resolve_RefersToTheLatestFiringDelivery_WhenTheOccurrenceWasReopened()
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config, reopenGraceSeconds: 60));
        await running.SubmitAsync(Message(Firing));
        await Dispatcher.TurnAsync();                               // notification 1: FIRING
        await running.SubmitAsync(Message(Resolved));
        await Dispatcher.TurnAsync();                               // 2: updates 1 to RESOLVED
        await running.SubmitAsync(Message(Firing));                  // a re-open candidate...
        _time.Advance(TimeSpan.FromSeconds(60));
        await running.Pipeline.ConfirmDueReopensAsync(default);      // ...confirmed: 3, a new FIRING message
        await Dispatcher.TurnAsync();
        await running.SubmitAsync(Message(Resolved));

        await Dispatcher.TurnAsync();                               // 4: must update 3, not 1

        var sent = _slack.Sent.Select(s => s.Message).ToList();
        Assert.Equal([NotificationKind.Firing, NotificationKind.Resolved, NotificationKind.Firing, NotificationKind.Resolved], sent.Select(m => m.Kind));
        Assert.Equal(["<1@relay>", "<3@relay>"], new[] { sent[1], sent[3] }.Select(m => m.Previous?.EmailMessageId));
        Assert.Equal("1732560000.000003", sent[3].Previous?.SlackTs);
    }
}

public sealed class ResolveReferenceOnSqlite : ResolveReferenceContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class ResolveReferenceOnPostgres : ResolveReferenceContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

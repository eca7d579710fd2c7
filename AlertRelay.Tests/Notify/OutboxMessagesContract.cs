using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Notify;

/// <summary>
/// <see cref="IOutboxStore.LoadMessagesAsync"/> (a claim's messages read at once, as the dispatcher does) builds exactly the messages
/// <see cref="IOutboxStore.LoadMessageAsync"/> builds one by one: firing singles and digests, resolves that update them, acknowledged alerts.
/// </summary>
public abstract class OutboxMessagesContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingNotifier _slack = new(Integrations.Slack);

    private static readonly RelayConfig Config = new(
        new Route("oncall", [], false, []),
        [new ReceiverConfig("oncall", [new SlackConfig { Channel = "#oncall", ApiUrl = "http://127.0.0.1:1/hook", SendResolved = true }], [], [])],
        [],
        [],
        null);

    private static Alert Alert(string name, int i, bool resolved = false)
    {
        var labels = LabelSet.From(("alertname", name), ("instance", $"host-{i}"), ("severity", i % 2 == 0 ? "critical" : "warning"));
        return new(Fingerprint.Of(labels), resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels, LabelSet.From(("summary", $"s{i}")),
            T0.AddSeconds(i), resolved ? T0.AddMinutes(5) : null, "http://prometheus/graph");
    }

    private static WebhookMessage Message(string externalUrl, params Alert[] alerts) =>
        new("relay", alerts[0].Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, externalUrl, alerts);

    [Fact]
    public async Task LoadMessagesAsync_BuildsTheMessagesLoadMessageAsyncBuilds_ForEveryKindInOneClaim()
    {
        var dispatcher = TestDispatcher.Create(Store.Outbox, Config, _time, new NotifyOptions { InitialBackoffSeconds = 1, DigestThreshold = 10 }, Store.Signal, _slack);
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            // Firing: three singles from two Alertmanagers and a digest of twelve; all delivered.
            await running.SubmitAsync(Message("http://am-1:9093", Alert("Single", 1)));
            await running.SubmitAsync(Message("http://am-2:9093", Alert("Single", 2)));
            await running.SubmitAsync(Message("http://am-1:9093", Alert("Single", 3)));
            await running.SubmitAsync(Message("http://am-1:9093", [.. Enumerable.Range(10, 12).Select(i => Alert("Storm", i))]));
            while (await dispatcher.TurnAsync() > 0)
            {
            }

            Assert.True(_slack.Sent.Count >= 4);
            var acked = (await Store.Queries.ListAsync(new AlertQuery { Alertname = "Single" }, default)).Items.First(a => a.Labels["instance"] == "host-2");
            Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(acked.Id, "alice", "on it", null, _time.GetUtcNow(), default));

            // Then: a new firing single, resolves of two singles (each updating its message) and of one digest alert, and a re-fire.
            await running.SubmitAsync(Message("http://am-2:9093", Alert("Single", 4)));
            await running.SubmitAsync(Message("http://am-1:9093", Alert("Single", 1, resolved: true), Alert("Single", 2, resolved: true)));
            await running.SubmitAsync(Message("http://am-1:9093", Alert("Storm", 11, resolved: true)));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var claimed = await Store.Outbox.ClaimAsync(
            new OutboxClaim(_time.GetUtcNow(), TimeSpan.FromSeconds(60), 100, [], refillBelow: 100, perTarget: 100), default);
        Assert.True(claimed.Count >= 4, $"claimed {claimed.Count}");
        Assert.Contains(claimed, n => n.Kind == NotificationKind.Resolved);
        Assert.Contains(claimed, n => n.Kind == NotificationKind.Firing);

        var batched = await Store.Outbox.LoadMessagesAsync(claimed, default);
        var single = new List<NotificationMessage>();
        foreach (var notification in claimed)
        {
            single.Add(await Store.Outbox.LoadMessageAsync(notification, default));
        }

        Assert.Equal(claimed.Select(n => n.Id), batched.Select(m => m.NotificationId));
        Assert.Equal(single.Select(Show), batched.Select(Show));
        Assert.Contains(batched, m => m.Previous is not null); // a resolve found the delivery it updates
        Assert.Contains(batched, m => m.ExternalUrl == "http://am-2:9093");
        Assert.Empty(await Store.Outbox.LoadMessagesAsync([], default));
    }

    [Fact]
    public async Task Dispatcher_ReadsAWaitingNotificationsMessageAgain_WhenWhatItReadWithTheClaimIsOlderThanTheMaxAge()
    {
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            foreach (var i in Enumerable.Range(1, OutboxDispatcher.PerTargetConcurrency + 1))
            {
                await running.SubmitAsync(Message("http://am-1:9093", Alert("Single", i)));
            }
        }

        var gated = new GatedNotifier();
        var dispatcher = TestDispatcher.Create(Store.Outbox, Config, _time, new NotifyOptions { InitialBackoffSeconds = 1 }, Store.Signal, gated);
        Assert.Equal(OutboxDispatcher.PerTargetConcurrency + 1, await dispatcher.RunOnceAsync(default)); // claims all, reads them, starts 4
        await Eventually.UntilAsync(() => gated.Messages.Count == OutboxDispatcher.PerTargetConcurrency, TimeSpan.FromSeconds(30), "the first sends to start");
        var started = gated.Messages.SelectMany(m => m.Alerts).Select(a => a.Id).ToHashSet();
        var waiting = (await Store.Queries.ListAsync(new AlertQuery(), default)).Items.Single(a => !started.Contains(a.Id));

        // Acknowledged after the claim read its message, and the read is older than the max age when its send starts: read again.
        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(waiting.Id, "alice", "on it", null, _time.GetUtcNow(), default));
        _time.Advance(OutboxDispatcher.PreloadedMessageMaxAge + TimeSpan.FromMilliseconds(1));
        gated.Open.SetResult();
        await dispatcher.DrainAsync();
        await dispatcher.TurnAsync();

        var last = Assert.Single(gated.Messages, m => m.Alerts.Any(a => a.Id == waiting.Id));
        Assert.Equal("alice", Assert.Single(last.Alerts).Acknowledgement?.By);
        Assert.All(gated.Messages.Where(m => m != last), m => Assert.Null(Assert.Single(m.Alerts).Acknowledgement));
    }

    /// <summary>Records each message, and holds every send until <see cref="Open"/> is set.</summary>
    private sealed class GatedNotifier : INotifier
    {
        private readonly List<NotificationMessage> _messages = [];

        public string Integration => Integrations.Slack;

        public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<NotificationMessage> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public async Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
        {
            lock (_messages)
            {
                _messages.Add(message);
            }

            await Open.Task.WaitAsync(cancellationToken);
            return NotifyResult.Delivered();
        }
    }

    private static string Show(NotificationMessage message) => JsonSerializer.Serialize(new
    {
        message.NotificationId,
        message.Receiver,
        message.Kind,
        Alerts = message.Alerts.Select(a => new
        {
            a.Id, Fingerprint = a.Fingerprint.ToString(), a.Status, Labels = a.Labels.ToString(), Annotations = a.Annotations.ToString(), a.Severity,
            a.StartsAt, a.EndsAt, a.GeneratorUrl, Ack = a.Acknowledgement?.ToString(), Silence = a.Silence?.ToString(),
        }),
        Previous = message.Previous?.ToString(),
        message.ExternalUrl,
        message.EscalationStep,
        Announcements = message.Announcements.Select(a => $"{a.NotificationId} {a.Kind} {a.Delivery} [{string.Join(",", a.Alerts.Select(x => x.Id))}] [{string.Join(",", a.Resolved.Select(x => x.Id))}]"),
        Paged = message.Paged?.ToString(),
    }, Json);
}

public sealed class OutboxMessagesOnSqlite : OutboxMessagesContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class OutboxMessagesOnPostgres : OutboxMessagesContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Notify;

/// <summary>The transactional outbox and its dispatcher on a real store of each engine, with a recording notifier at the edge.</summary>
public abstract class OutboxDispatcherContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly RecordingNotifier _slack = new(Integrations.Slack);
    private OutboxDispatcher? _dispatcher;

    private IOutboxStore OutboxStore => Store.Outbox;

    /// <summary>The dispatcher of the test (one: it holds what it claimed between turns).</summary>
    private OutboxDispatcher Dispatcher => _dispatcher ??= CreateDispatcher();

    private static readonly RelayConfig Config = new(
        new Route("oncall", [], false, [new Route("quiet", [MatcherParser.ParseMatcher("team=\"quiet\"")], false, [])]),
        [
            new ReceiverConfig("oncall", [new SlackConfig { Channel = "#oncall", ApiUrl = "http://127.0.0.1:1/hook", SendResolved = true }], [], []),
            new ReceiverConfig("quiet", [new SlackConfig { Channel = "#quiet", ApiUrl = "http://127.0.0.1:1/hook", SendResolved = false }], [], []),
        ],
        [new InhibitRule([MatcherParser.ParseMatcher("alertname=\"NodeDown\"")], [MatcherParser.ParseMatcher("severity=\"warning\"")], ["instance"]) { Name = "inhibit_rules[0]" }],
        [],
        null);

    private OutboxDispatcher CreateDispatcher(int maxAttempts = 12) => TestDispatcher.Create(
        OutboxStore, Config, _time, new NotifyOptions { MaxAttempts = maxAttempts, InitialBackoffSeconds = 1, LeaseSeconds = 60 }, Store.Signal, _slack);

    private static Alert Firing(string alertname, string instance, string severity = "critical", string? team = null)
    {
        var labels = team is null
            ? LabelSet.From(("alertname", alertname), ("instance", instance), ("severity", severity))
            : LabelSet.From(("alertname", alertname), ("instance", instance), ("severity", severity), ("team", team));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.From(("summary", "s")), T0, null, "");
    }

    private static Alert Resolved(Alert alert) => alert with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(5) };

    private Task IngestAsync(params Alert[] alerts) => IngestAsync(Config, alerts);

    private async Task IngestAsync(RelayConfig config, params Alert[] alerts)
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: config));
        await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", alerts));
    }

    /// <summary>Dispatcher turns until one claims nothing; returns how many each claimed.</summary>
    private async Task<List<int>> TurnUntilIdleAsync()
    {
        var claimed = new List<int>();
        while (await Dispatcher.TurnAsync() is var n and > 0)
        {
            claimed.Add(n);
        }

        return claimed;
    }

    private async Task<List<(long Id, string Kind, string Status, long Attempts)>> OutboxAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<(long, string, string, long)>("SELECT id, kind, status, CAST(attempts AS bigint) FROM notifications ORDER BY id")).AsList();
    }

    /// <summary>The kinds of the events on the timeline of the one occurrence named <paramref name="alertname"/>, oldest first.</summary>
    private async Task<string[]> TimelineAsync(string alertname)
    {
        await using var connection = Store.Open();
        var id = (await connection.QueryAsync<long>("SELECT id FROM alert_occurrences WHERE alertname = @alertname", new { alertname })).Single();
        return (await connection.QueryAsync<string>("SELECT kind FROM alert_events WHERE occurrence_id = @id ORDER BY id", new { id })).ToArray();
    }

    [Fact]
    public async Task Ingest_QueuesAFiringNotificationInTheSameTransaction_AndTheDispatcherDeliversIt()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        Assert.Equal([(1L, "firing", "pending", 0L)], await OutboxAsync());

        var attempted = await Dispatcher.TurnAsync();

        Assert.Equal(1, attempted);
        var (target, message) = Assert.Single(_slack.Sent);
        Assert.Equal(new NotificationTarget("oncall", Integrations.Slack, 0), target);
        Assert.Equal(NotificationKind.Firing, message.Kind);
        Assert.Equal("ApiDown", Assert.Single(message.Alerts).Alertname);
        Assert.Equal("sent", (await OutboxAsync())[0].Status);
        Assert.Equal(["received", "routed", "notified"], await TimelineAsync("ApiDown"));
    }

    [Fact]
    public async Task Dispatcher_RetriesWithBackoff_HonouringRetryAfter_ThenDelivers()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        _slack.Then(NotifyResult.RetryLater("429 ratelimited", TimeSpan.FromSeconds(30)));

        await Dispatcher.TurnAsync();
        _time.Advance(TimeSpan.FromSeconds(29));
        var tooEarly = await Dispatcher.TurnAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        var onTime = await Dispatcher.TurnAsync();

        Assert.Equal(0, tooEarly);
        Assert.Equal(1, onTime);
        Assert.Equal(2, _slack.Sent.Count);
        Assert.Equal([(1L, "firing", "sent", 2L)], await OutboxAsync());
        Assert.Equal(["received", "routed", "notification_retry", "notified"], await TimelineAsync("ApiDown"));
    }

    [Fact]
    public async Task Dispatcher_DeadLettersAPermanentFailure_AndRetryPutsItBack()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        _slack.Then(NotifyResult.Permanent("channel_not_found"));

        await Dispatcher.TurnAsync();

        Assert.Equal("dead", (await OutboxAsync())[0].Status);
        Assert.Contains("notification_failed", await TimelineAsync("ApiDown"));
        var outbox = new OutboxQueries(OutboxStore, Store.Signal);
        Assert.Equal("channel_not_found", Assert.Single(await outbox.ListAsync("dead", 10, null, default)).LastError);

        Assert.Equal(RetryOutcome.Queued, await outbox.RetryAsync(1, _time.GetUtcNow(), default));
        Assert.Equal(RetryOutcome.NotDead, await outbox.RetryAsync(1, _time.GetUtcNow(), default));
        await Dispatcher.TurnAsync();

        Assert.Equal("sent", (await OutboxAsync())[0].Status);
    }

    [Fact]
    public async Task Dispatcher_GivesUp_AfterTheLastAttempt()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        _slack.Then(NotifyResult.RetryLater("500"), NotifyResult.RetryLater("500"), NotifyResult.RetryLater("500"));

        var giveUpAfterThree = CreateDispatcher(maxAttempts: 3);
        for (var i = 0; i < 3; i++)
        {
            await giveUpAfterThree.TurnAsync();
            _time.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal([(1L, "firing", "dead", 3L)], await OutboxAsync());
        Assert.Equal(3, _slack.Sent.Count);
    }

    [Fact]
    public async Task Resolve_WaitsForTheFiringDelivery_AndRefersToIt()
    {
        var alert = Firing("ApiDown", "h1");
        await IngestAsync(alert);
        _slack.Then(NotifyResult.RetryLater("down"));
        await Dispatcher.TurnAsync(); // the firing one fails once
        await IngestAsync(Resolved(alert));

        var whileFiringPending = await Dispatcher.TurnAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        await Dispatcher.TurnAsync(); // firing delivered; the resolve may go now
        await Dispatcher.TurnAsync();

        Assert.Equal(0, whileFiringPending);
        var sent = _slack.Sent.Select(s => s.Message).ToList();
        Assert.Equal([NotificationKind.Firing, NotificationKind.Firing, NotificationKind.Resolved], sent.Select(m => m.Kind));
        Assert.Equal("<1@relay>", sent[2].Previous?.EmailMessageId);
    }

    [Fact]
    public async Task Updates_WaitForTheFiringAndForEachOther_SoTheMessageEndsShowingTheLatestState()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        _slack.Then(NotifyResult.RetryLater("down"));
        await Dispatcher.TurnAsync(); // the firing one fails once
        await using (var connection = Store.Open())
        {
            var id = (await connection.QueryAsync<long>("SELECT id FROM alert_occurrences")).Single();
            var now = _time.GetUtcNow();
            await Store.Acknowledgements.AcknowledgeAsync(id, new Actor("alice", ActorSources.Slack, "U1"), null, null, replace: false, now, default);
            await Store.Acknowledgements.UnacknowledgeAsync(id, new Actor("bob", ActorSources.Slack, "U2"), now, default);
        }

        var whileFiringPending = await Dispatcher.TurnAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        var turns = await TurnUntilIdleAsync();

        Assert.Equal(0, whileFiringPending);
        Assert.Equal([1, 1, 1], turns); // the firing, then each update alone: never two renderings of one message in flight
        var sent = _slack.Sent.Select(s => s.Message).ToList();
        Assert.Equal([NotificationKind.Firing, NotificationKind.Firing, NotificationKind.Update, NotificationKind.Update], sent.Select(m => m.Kind));
        Assert.Equal(["acknowledged", "unacknowledged"], sent.Skip(2).Select(m => m.EscalationStep));
        Assert.Equal("<1@relay>", sent[3].Previous?.EmailMessageId);
    }

    [Fact]
    public async Task Resolve_IsNotSent_WhenTheIntegrationDoesNotSendResolved()
    {
        var alert = Firing("Quiet", "h1", team: "quiet");
        await IngestAsync(alert);
        await Dispatcher.TurnAsync();

        await IngestAsync(Resolved(alert));

        Assert.Equal(["firing"], (await OutboxAsync()).Select(n => n.Kind));
    }

    [Fact]
    public async Task InhibitedTarget_IsNotNotified_UntilItsSourceResolvesWhileItStillFires()
    {
        var source = Firing("NodeDown", "h1");
        await IngestAsync(source);
        await IngestAsync(Firing("DiskFull", "h1", severity: "warning"));
        Assert.Equal(["firing"], (await OutboxAsync()).Select(n => n.Kind)); // only NodeDown

        await IngestAsync(Resolved(source));
        await Dispatcher.TurnAsync();
        await Dispatcher.TurnAsync();

        Assert.Equal(["firing", "resolved", "firing"], (await OutboxAsync()).Select(n => n.Kind));
        Assert.Contains(_slack.Sent, s => s.Message.Kind == NotificationKind.Firing && s.Message.Alerts[0].Alertname == "DiskFull");
    }

    [Fact]
    public async Task Storm_BecomesOneDigest_ForAReceiver()
    {
        await IngestAsync([.. Enumerable.Range(0, 25).Select(i => Firing("Storm", $"h{i}"))]);

        await Dispatcher.TurnAsync();

        var digest = Assert.Single(await OutboxAsync());
        Assert.Equal("digest", digest.Kind);
        var (_, message) = Assert.Single(_slack.Sent);
        Assert.Equal(NotificationKind.Digest, message.Kind);
        Assert.Equal(25, message.Alerts.Count);
    }

    [Fact]
    public async Task Resolves_FollowTheDigestThatAnnouncedThem_WithItsAlertsAsTheyAreNow()
    {
        var storm = Enumerable.Range(0, 25).Select(i => Firing("Storm", $"h{i}")).ToArray();
        await IngestAsync(storm);
        await Dispatcher.TurnAsync();
        var (_, digest) = Assert.Single(_slack.Sent);
        _slack.Sent.Clear();

        await IngestAsync([.. storm.Take(3).Select(Resolved)]);
        await TurnUntilIdleAsync();
        await IngestAsync([.. storm.Skip(3).Select(Resolved)]);
        await TurnUntilIdleAsync();

        Assert.Equal(["digest", "resolved", "resolved", "resolved", "digest"], (await OutboxAsync()).Select(n => n.Kind));
        var resolves = _slack.Sent.Select(s => s.Message).ToList();
        Assert.All(resolves, r =>
        {
            var announcement = Assert.Single(r.Announcements);
            Assert.Equal((digest.NotificationId, NotificationKind.Digest, 25), (announcement.NotificationId, announcement.Kind, announcement.Alerts.Count));
            Assert.Equal(r.Alerts.Select(a => a.Id), announcement.Resolved.Select(a => a.Id));
            Assert.Equal(announcement.Delivery, r.Previous);
        });
        Assert.Equal([1, 1, 1, 22], resolves.Select(r => r.Announcements[0].Resolved.Count));
        Assert.Equal(25, resolves[^1].Announcements[0].Alerts.Count(a => a.Status == AlertStatus.Resolved));
    }

    [Fact]
    public async Task ResolvesOfOneDigest_AreSentOneAfterTheOther_SoTheLastUpdateShowsTheLatestState()
    {
        var storm = Enumerable.Range(0, 25).Select(i => Firing("Storm", $"h{i}")).ToArray();
        await IngestAsync(storm);
        await Dispatcher.TurnAsync();
        _slack.Sent.Clear();
        await IngestAsync(Resolved(storm[0]));
        await IngestAsync(Resolved(storm[1]));
        await IngestAsync([.. storm.Skip(2).Select(Resolved)]);

        var claimed = await TurnUntilIdleAsync();

        Assert.Equal([1, 1, 1], claimed);
        Assert.Equal([1, 1, 23], _slack.Sent.Select(s => s.Message.Alerts.Count));
        Assert.All(_slack.Sent, s => Assert.Equal(25, s.Message.Announcements[0].Alerts.Count(a => a.Status == AlertStatus.Resolved)));
    }

    [Fact]
    public async Task Lease_HoldsOffASecondDispatcher_AndLetsItRedeliverAfterACrash()
    {
        await IngestAsync(Firing("ApiDown", "h1"));
        await using (var connection = Store.Open())
        {
            // A dispatcher claimed it and died before recording the outcome.
            await connection.ExecuteAsync("UPDATE notifications SET claimed_until_ms = @Until", new { Until = UnixMillis.From(T0.AddSeconds(60)) });
        }

        var duringLease = await Dispatcher.TurnAsync();
        _time.Advance(TimeSpan.FromSeconds(61));
        var afterLease = await Dispatcher.TurnAsync();

        Assert.Equal(0, duringLease);
        Assert.Equal(1, afterLease);
        Assert.Single(_slack.Sent);
    }

    [Fact]
    public async Task RunOnceAsync_DeliversEmailAtOnce_WhenASlackSendOfTheSameReceiverHangs()
    {
        var config = Config with
        {
            Receivers =
            [
                new ReceiverConfig(
                    "oncall",
                    [new SlackConfig { Channel = "#oncall", ApiUrl = "http://127.0.0.1:1/hook" }],
                    [new EmailConfig { To = "oncall@example.com" }],
                    []),
            ],
        };
        var slack = new HangingNotifier(Integrations.Slack, _time, TimeSpan.FromSeconds(15));
        var email = new RecordingNotifier(Integrations.Email);
        var dispatcher = TestDispatcher.Create(OutboxStore, config, _time, new NotifyOptions { InitialBackoffSeconds = 1 }, Store.Signal, slack, email);

        await IngestAsync(config, Firing("ApiDown", "h1"));
        await dispatcher.RunOnceAsync(default); // Slack's send hangs until 15 s pass on the clock
        await IngestAsync(config, Firing("DiskFull", "h2"));
        await dispatcher.RunOnceAsync(default); // the next turn claims and sends the new email while Slack still hangs
        await Eventually.UntilAsync(
            async () => slack.Started == 2 && (await StatusesAsync(Integrations.Email)).SequenceEqual(["sent", "sent"]),
            TimeSpan.FromSeconds(30), "both emails recorded as sent, both Slack sends hanging");

        Assert.Equal(0, slack.Ended);
        Assert.Equal(["pending", "pending"], await StatusesAsync(Integrations.Slack));
        Assert.Equal(2, email.Sent.Count);

        _time.Advance(TimeSpan.FromSeconds(15));
        await dispatcher.DrainAsync();

        Assert.Equal(2, slack.Ended);
        Assert.Equal(["pending", "pending"], await StatusesAsync(Integrations.Slack));
        Assert.All((await new OutboxQueries(OutboxStore, Store.Signal).ListAsync("pending", 10, null, default)),
            n => Assert.Equal((1, "slack: timed out"), (n.Attempts, n.LastError)));
    }

    private async Task<string[]> StatusesAsync(string integration)
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>("SELECT status FROM notifications WHERE integration = @integration ORDER BY id", new { integration })).ToArray();
    }
}

public sealed class OutboxDispatcherOnSqlite : OutboxDispatcherContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class OutboxDispatcherOnPostgres : OutboxDispatcherContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

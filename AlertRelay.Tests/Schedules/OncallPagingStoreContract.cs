using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Schedules;

/// <summary>
/// A page through the outbox of each engine: stored in <c>paged_schedule</c> / <c>paged_participant</c> with the notification, claimed
/// with it, and on the message the notifier renders; an escalation step pages whoever is on call when it runs (fake clock, a handoff).
/// </summary>
public abstract class OncallPagingStoreContract : StoreContract
{
    // Bob takes over from alice at 2026-01-12T08:00Z (Monday 09:00 in Paris).
    private static readonly DateTimeOffset T0 = new(2026, 1, 12, 7, 50, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(T0);

    private static readonly Alert Critical = new(
        Fingerprint.Of(LabelSet.From(("alertname", "NodeDown"), ("severity", "critical"))), AlertStatus.Firing,
        LabelSet.From(("alertname", "NodeDown"), ("severity", "critical")), LabelSet.Empty, T0, null, "");

    private static RelayConfig Config(string route, params EscalationPolicy[] escalations) =>
        PagingConfigs.Config(PagingConfigs.Primary(), [PagingConfigs.OncallSlack()], route, escalations);

    private async Task FireAsync(RelayConfig config)
    {
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: config));
        await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [Critical]));
    }

    private async Task<List<(string Receiver, string Kind, string? Schedule, string? Participant)>> NotificationsAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<(string, string, string?, string?)>(
            "SELECT receiver, kind, paged_schedule, paged_participant FROM notifications ORDER BY id")).AsList();
    }

    private async Task<List<string>> EventsAsync(string kind)
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>("SELECT detail FROM alert_events WHERE kind = @kind ORDER BY id", new { kind })).AsList();
    }

    [Fact]
    public async Task Queue_StoresClaimsAndLoadsThePage_WhenARoutePagesTheSchedule()
    {
        await FireAsync(Config("oncall:primary"));

        var rows = await NotificationsAsync();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(("primary", "alice"), (r.Schedule, r.Participant)));
        var claimed = await Store.Outbox.ClaimAsync(new OutboxClaim(T0, Lease, 32, [], 16, 32), default);
        Assert.Equal(5, claimed.Count);
        Assert.All(claimed, c => Assert.Equal(new OncallPage("primary", "alice"), c.Page));
        var message = await Store.Outbox.LoadMessageAsync(claimed.Single(c => c.Target.Receiver == "oncall:primary/alice" && c.Target.Integration == "slack"), default);
        Assert.Equal(new OncallPage("primary", "alice"), message.Paged);
        Assert.Single(await EventsAsync(EventKinds.Paged));
    }

    [Fact]
    public async Task Queue_StoresNoPage_WhenAnOrdinaryReceiverIsNotified()
    {
        await FireAsync(Config("oncall-slack"));

        Assert.All(await NotificationsAsync(), r => Assert.Equal((null, null), (r.Schedule, r.Participant)));
        var claimed = await Store.Outbox.ClaimAsync(new OutboxClaim(T0, Lease, 32, [], 16, 32), default);
        Assert.All(claimed, c => Assert.Null(c.Page));
        Assert.Empty(await EventsAsync(EventKinds.Paged));
    }

    [Fact]
    public async Task RunOnce_PagesWhoeverIsOnCallAtTheStepsTime_AcrossAHandoff()
    {
        var ladder = new EscalationPolicy("critical", [MatcherParser.ParseMatcher("severity=\"critical\"")],
            [new EscalationStep(TimeSpan.Zero, "oncall:primary", null), new EscalationStep(TimeSpan.FromMinutes(15), "oncall:primary", null)]);
        var config = Config("oncall-slack", ladder);
        await FireAsync(config);
        var scheduler = new EscalationScheduler(
            Store.Escalations, RelayConfigProvider.Fixed(config, _time, NullLogger.Instance), Store.Signal, _time, NullLogger<EscalationScheduler>.Instance);

        var first = await scheduler.RunOnceAsync(default);              // 07:50Z: alice
        _time.SetUtcNow(T0 + TimeSpan.FromMinutes(15));
        var second = await scheduler.RunOnceAsync(default);             // 08:05Z: bob, since the 08:00Z handoff

        Assert.Equal((1, 1), (first, second)); // a page is part of its step, not counted as one more
        var pages = (await NotificationsAsync()).Where(r => r.Kind == "escalation" && r.Participant is not null).ToList();
        Assert.Equal(
            ["oncall-slack alice", "oncall-slack alice", "oncall-slack alice", "oncall:primary/alice alice", "oncall:primary/alice alice",
             "oncall-slack bob", "oncall-slack bob", "oncall-slack bob", "oncall:primary/bob bob", "oncall:primary/bob bob"],
            pages.Select(p => $"{p.Receiver} {p.Participant}"));
        var events = await EventsAsync(EventKinds.Paged);
        Assert.Equal(2, events.Count);
        Assert.Contains("\"participant\":\"bob\"", events[1]);
        Assert.Contains("\"step\":\"critical step 1\"", events[1]);
    }

    [Fact]
    public async Task LoadMessage_ResolveFollowsUpTheStepsDirectMessage_WhenAStepPagedThem()
    {
        var ladder = new EscalationPolicy("critical", [MatcherParser.ParseMatcher("severity=\"critical\"")], [new EscalationStep(TimeSpan.Zero, "oncall:primary", null)]);
        var config = Config("oncall-slack", ladder);
        await FireAsync(config);
        await new EscalationScheduler(Store.Escalations, RelayConfigProvider.Fixed(config, _time, NullLogger.Instance), Store.Signal, _time,
            NullLogger<EscalationScheduler>.Instance).RunOnceAsync(default);
        await using (var connection = Store.Open())
        {
            // Every notification delivered; alice's DM where Slack put it.
            await connection.ExecuteAsync("UPDATE notifications SET status = 'sent', delivery_ref = @Ref WHERE receiver = 'oncall:primary/alice' AND integration = 'slack'",
                new { Ref = """{"slackChannel":"D0ALICE01","slackTs":"1.000100"}""" });
            await connection.ExecuteAsync("UPDATE notifications SET status = 'sent' WHERE status = 'pending'");
        }

        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: config)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Resolved, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Critical with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(5) }]));
        }

        var claimed = await Store.Outbox.ClaimAsync(new OutboxClaim(T0, Lease, 32, [], 16, 32), default);
        var resolve = claimed.Single(c => c.Target == new NotificationTarget("oncall:primary/alice", "slack", 0));
        var message = await Store.Outbox.LoadMessageAsync(resolve, default);
        Assert.Equal(NotificationKind.Resolved, message.Kind);
        Assert.Equal(new DeliveryRef(SlackChannel: "D0ALICE01", SlackTs: "1.000100"), message.Previous);
    }
}

public sealed class OncallPagingStoreOnSqlite : OncallPagingStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class OncallPagingStoreOnPostgres : OncallPagingStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

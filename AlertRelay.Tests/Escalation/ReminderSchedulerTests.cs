using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Escalation;

/// <summary>
/// Reminders (<c>repeat</c> on an escalation policy) through the escalation scheduler against a real store of each engine, on a
/// fake clock: what is queued, to whom, when, what stops and resumes them, and that downtime does not cause a burst.
/// </summary>
public abstract class ReminderSchedulerContract : StoreContract, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    // The on-call receiver hears of the alert on Slack and by e-mail; the policy only reminds (no steps).
    private static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: oncall
        receivers:
          - name: oncall
            slack_configs:
              - channel: '#oncall'
                api_url: http://127.0.0.1:1/hook
            email_configs:
              - to: oncall@example.com
                from: relay@example.com
                smarthost: 127.0.0.1:1
        inhibit_rules:
          - source_matchers: ['alertname="DatacenterDown"']
            target_matchers: ['severity="critical"']
        escalations:
          - name: remind
            matchers: ['severity="critical"']
            repeat: [15m, 30m, 1h, 4h]
        """, "alertrelay.yml");

    private static readonly Alert Critical = new(
        Fingerprint.Of(LabelSet.From(("alertname", "DiskFull"), ("severity", "critical"))), AlertStatus.Firing,
        LabelSet.From(("alertname", "DiskFull"), ("severity", "critical")), LabelSet.Empty, T0, null, "");

    private readonly FakeTimeProvider _time = new(T0);
    private readonly Meter _meter = new("reminder-tests");
    private EscalationMetrics _metrics = null!;
    private long _id;

    private EscalationScheduler Scheduler() =>
        new(Store.Escalations, RelayConfigProvider.Fixed(Config, _time, NullLogger.Instance), Store.Signal, _time, NullLogger<EscalationScheduler>.Instance, _metrics);

    private static WebhookMessage Message(Alert alert) =>
        new("relay", alert.Status, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [alert]);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _metrics = new EscalationMetrics(_meter);
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        await running.SubmitAsync(Message(Critical));
        await using var connection = Store.Open();
        _id = (await connection.QueryAsync<long>("SELECT id FROM alert_occurrences")).Single();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        _meter.Dispose();
        await DisposeAsync();
    }

    /// <summary>The reminders queued, in order: "detail → receiver/integration".</summary>
    private async Task<List<string>> RemindersAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>(
            "SELECT n.detail || ' -> ' || n.receiver || '/' || n.integration FROM notifications n JOIN notification_alerts a ON a.notification_id = n.id " +
            "WHERE a.occurrence_id = @_id AND n.kind = 'reminder' ORDER BY n.id", new { _id })).AsList();
    }

    /// <summary>The reminder details queued, once each (one per target is asserted elsewhere).</summary>
    private async Task<List<string>> SentAsync() =>
        (await RemindersAsync()).Where(r => r.EndsWith("/slack", StringComparison.Ordinal)).Select(r => r[..r.IndexOf(" -> ", StringComparison.Ordinal)]).ToList();

    private async Task<long?> NextReminderMsAsync()
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long?>("SELECT next_reminder_ms FROM escalations WHERE occurrence_id = @_id", new { _id });
    }

    /// <summary>A pass once a minute (as the worker would, more coarsely) from the clock's time to <paramref name="sinceStart"/>.</summary>
    private async Task EveryMinuteUntilAsync(TimeSpan sinceStart)
    {
        while (_time.GetUtcNow() < T0 + sinceStart)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await Scheduler().RunOnceAsync(default);
        }
    }

    private async Task AtAsync(TimeSpan sinceStart)
    {
        _time.SetUtcNow(T0 + sinceStart);
        await Scheduler().RunOnceAsync(default);
    }

    [Fact]
    public async Task RunOnce_QueuesRemindersOnTheDecayingSchedule_ToEveryTargetThatAnnouncedTheAlert()
    {
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(14));
        Assert.Empty(await RemindersAsync());

        await EveryMinuteUntilAsync(TimeSpan.FromHours(2));

        Assert.Equal(
        [
            "reminder 1 after 15m -> oncall/slack", "reminder 1 after 15m -> oncall/email",
            "reminder 2 after 45m -> oncall/slack", "reminder 2 after 45m -> oncall/email",
            "reminder 3 after 1h45m -> oncall/slack", "reminder 3 after 1h45m -> oncall/email",
        ], await RemindersAsync());
        Assert.Equal(UnixMillis.From(T0 + TimeSpan.FromHours(5) + TimeSpan.FromMinutes(45)), await NextReminderMsAsync());
    }

    [Fact]
    public async Task RunOnce_QueuesOneReminder_AfterALongOutage()
    {
        _time.Advance(TimeSpan.FromHours(10)); // no pass ran: reminders at 15m, 45m, 1h45m and 5h45m were all missed

        await Scheduler().RunOnceAsync(default);
        await Scheduler().RunOnceAsync(default);

        Assert.Equal(["reminder 1 after 10h"], await SentAsync());
        Assert.Equal(UnixMillis.From(T0.AddHours(10).AddMinutes(30)), await NextReminderMsAsync()); // one interval (repeat[1]) from now

        await AtAsync(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(30));
        Assert.Equal(["reminder 1 after 10h", "reminder 2 after 10h30m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_StopsReminders_WhenAcknowledged_AndResumesOneIntervalAfterTheUnacknowledgement()
    {
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(20));
        Assert.Equal(["reminder 1 after 15m"], await SentAsync());
        var alice = new Actor("alice", ActorSources.Api);
        await Store.Acknowledgements.AcknowledgeAsync(_id, alice, null, null, false, _time.GetUtcNow(), default);

        await EveryMinuteUntilAsync(TimeSpan.FromHours(3));
        Assert.Equal(["reminder 1 after 15m"], await SentAsync());

        await Store.Acknowledgements.UnacknowledgeAsync(_id, alice, _time.GetUtcNow(), default);
        await Scheduler().RunOnceAsync(default); // the worker's pass in the same second
        await EveryMinuteUntilAsync(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29));
        Assert.Equal(["reminder 1 after 15m"], await SentAsync()); // not at once: no burst of the ones held back

        await EveryMinuteUntilAsync(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(30));
        Assert.Equal(["reminder 1 after 15m", "reminder 2 after 3h30m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_ResumesReminders_WhenTheAcknowledgementExpires()
    {
        await Store.Acknowledgements.AcknowledgeAsync(_id, new Actor("bob", ActorSources.Api), null, T0.AddHours(1), false, T0.AddMinutes(5), default);

        await EveryMinuteUntilAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(14));
        Assert.Empty(await SentAsync());

        await EveryMinuteUntilAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(15));
        Assert.Equal(["reminder 1 after 1h15m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_StopsReminders_WhileSilenced_AndResumesWhenTheSilenceEnds()
    {
        await using (var connection = Store.Open())
        {
            await connection.ExecuteAsync(
                "UPDATE alert_occurrences SET silence_id = 'abc', silenced_by = 'carol', silenced_at_ms = @At, silence_ends_at_ms = @Ends WHERE id = @_id",
                new { _id, At = UnixMillis.From(T0.AddMinutes(10)), Ends = UnixMillis.From(T0.AddHours(2)) });
        }

        await EveryMinuteUntilAsync(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(14));
        Assert.Empty(await SentAsync());

        await EveryMinuteUntilAsync(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(15));
        Assert.Equal(["reminder 1 after 2h15m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_StopsReminders_WhenTheAlertResolves()
    {
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(20));
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            await running.SubmitAsync(Message(Critical with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(20) }));
        }

        await AtAsync(TimeSpan.FromHours(10));

        Assert.Equal(["reminder 1 after 15m"], await SentAsync());
        Assert.Null(await NextReminderMsAsync());
    }

    [Fact]
    public async Task RunOnce_ResumesRemindersOneIntervalAfterTheReopen_WhenAResolvedAlertFiresAgain()
    {
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(20));
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config, reopenGraceSeconds: 60));
        await running.SubmitAsync(Message(Critical with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(20) }));
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(30));
        await running.SubmitAsync(Message(Critical));                 // a re-open candidate...
        _time.Advance(TimeSpan.FromSeconds(60));
        await running.Pipeline.ConfirmDueReopensAsync(default);       // ...re-opened at 31m
        await Scheduler().RunOnceAsync(default);

        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(60));
        Assert.Equal(["reminder 1 after 15m"], await SentAsync()); // not at once for the reminder held back while resolved

        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(61));
        Assert.Equal(["reminder 1 after 15m", "reminder 2 after 1h1m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_StopsReminders_WhileMuted_AndResumesOneIntervalAfterTheRelease()
    {
        var outage = new Alert(Fingerprint.Of(LabelSet.From(("alertname", "DatacenterDown"))), AlertStatus.Firing,
            LabelSet.From(("alertname", "DatacenterDown")), LabelSet.Empty, T0.AddMinutes(10), null, "");
        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(10));
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        await running.SubmitAsync(Message(outage)); // mutes DiskFull before its first reminder

        await EveryMinuteUntilAsync(TimeSpan.FromHours(1));
        Assert.Empty(await SentAsync());

        await running.SubmitAsync(Message(outage with { Status = AlertStatus.Resolved, EndsAt = T0.AddHours(1) })); // releases it
        await Scheduler().RunOnceAsync(default);
        await EveryMinuteUntilAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(14));
        Assert.Empty(await SentAsync());

        await EveryMinuteUntilAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(15));
        Assert.Equal(["reminder 1 after 1h15m"], await SentAsync());
    }

    [Fact]
    public async Task RunOnce_QueuesEachReminderOnce_WhenSchedulersRace()
    {
        _time.SetUtcNow(T0.AddMinutes(15));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Scheduler().RunOnceAsync(default))));

        Assert.Equal(["reminder 1 after 15m -> oncall/slack", "reminder 1 after 15m -> oncall/email"], await RemindersAsync());
        await using var connection = Store.Open();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT reminders_sent FROM escalations WHERE occurrence_id = @_id", new { _id }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM alert_events WHERE occurrence_id = @_id AND kind = @Kind", new { _id, Kind = EventKinds.Reminded }));
    }

    [Fact]
    public async Task RunOnce_CountsEachReminderQueued_ByPolicy()
    {
        using var collector = new MetricCollector<long>(_metrics.RemindersQueued);

        await EveryMinuteUntilAsync(TimeSpan.FromMinutes(50));

        var measurements = collector.GetMeasurementSnapshot();
        Assert.Equal([1L, 1L], measurements.Select(m => m.Value));
        Assert.All(measurements, m => Assert.Equal("remind", m.Tags["policy"]));
    }
}

public sealed class ReminderSchedulerOnSqlite : ReminderSchedulerContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class ReminderSchedulerOnPostgres : ReminderSchedulerContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Escalation;

/// <summary>The escalation scheduler against a real store of each engine, driven by a fake clock.</summary>
public abstract class EscalationSchedulerContract : StoreContract, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private long _id;

    private static readonly RelayConfig Config = new(
        new Route("oncall-slack", [], false, []),
        [],
        [],
        [
            new EscalationPolicy("ladder", [MatcherParser.ParseMatcher("severity=~\"warning|critical\"")], [
                new EscalationStep(TimeSpan.Zero, "oncall-slack", null),
                new EscalationStep(TimeSpan.FromMinutes(15), "email-lead", null),
                new EscalationStep(TimeSpan.FromMinutes(30), null, "critical"),
            ]),
        ],
        null);

    private static readonly Alert Warning = new(
        Fingerprint.Of(LabelSet.From(("alertname", "Slow"), ("severity", "warning"))), AlertStatus.Firing,
        LabelSet.From(("alertname", "Slow"), ("severity", "warning")), LabelSet.Empty, T0, null, "");

    private EscalationScheduler Scheduler() =>
        new(Store.Escalations, RelayConfigProvider.Fixed(Config, _time, NullLogger.Instance), Store.Signal, _time, NullLogger<EscalationScheduler>.Instance);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        await using var running = new RunningWriter(Store.CreateWriter(_time, config: Config));
        await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [Warning]));
        await using var connection = Store.Open();
        _id = (await connection.QueryAsync<long>("SELECT id FROM alert_occurrences")).Single();
    }

    private async Task<List<string>> EscalationsAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>(
            "SELECT detail FROM alert_events WHERE occurrence_id = @_id AND kind = @Kind ORDER BY id", new { _id, Kind = EventKinds.Escalated })).AsList();
    }

    /// <summary>The occurrence's severity and labels as stored.</summary>
    private async Task<(string Severity, LabelSet Labels)> AlertAsync()
    {
        await using var connection = Store.Open();
        var (severity, labels) = await connection.QuerySingleAsync<(string, string)>(
            "SELECT severity, labels FROM alert_occurrences WHERE id = @_id", new { _id });
        return (severity, LabelSet.FromJson(labels));
    }

    /// <summary>Acknowledges the occurrence as the acknowledgement store does on SQLite (PostgreSQL has none yet): what the ladder reads.</summary>
    private async Task AcknowledgeAsync(string by, DateTimeOffset at)
    {
        await using var connection = Store.Open();
        await connection.ExecuteAsync(
            "UPDATE alert_occurrences SET acked_by = @by, acked_at_ms = @At, updated_at_ms = @At WHERE id = @_id",
            new { _id, by, At = UnixMillis.From(at) });
    }

    /// <summary>Takes the acknowledgement back as the acknowledgement store does: the ladder is due again at once.</summary>
    private async Task UnacknowledgeAsync(DateTimeOffset at)
    {
        await using var connection = Store.Open();
        await connection.ExecuteAsync(
            "UPDATE alert_occurrences SET acked_by = NULL, ack_comment = NULL, acked_at_ms = NULL, ack_expires_at_ms = NULL, updated_at_ms = @At WHERE id = @_id",
            new { _id, At = UnixMillis.From(at) });
        await connection.ExecuteAsync(
            "UPDATE escalations SET next_due_ms = @At, updated_at_ms = @At WHERE occurrence_id = @_id", new { _id, At = UnixMillis.From(at) });
    }

    private async Task AtAsync(TimeSpan sinceStart)
    {
        _time.SetUtcNow(T0 + sinceStart);
        await Scheduler().RunOnceAsync(default);
    }

    [Fact]
    public async Task RunOnce_ClimbsTheLadderOnTime_EachStepOnce()
    {
        await AtAsync(TimeSpan.Zero);
        Assert.Single(await EscalationsAsync());

        await AtAsync(TimeSpan.FromMinutes(14.99));
        Assert.Single(await EscalationsAsync());

        await AtAsync(TimeSpan.FromMinutes(15));
        await AtAsync(TimeSpan.FromMinutes(16));
        var steps = await EscalationsAsync();
        Assert.Equal(2, steps.Count);
        Assert.Contains("\"notify\":\"email-lead\"", steps[1]);

        await AtAsync(TimeSpan.FromMinutes(31));
        var alert = await AlertAsync();
        Assert.Equal("critical", alert.Severity);
        Assert.Equal("warning", alert.Labels["severity"]); // identity labels are never rewritten
        Assert.Equal(3, (await EscalationsAsync()).Count);

        await AtAsync(TimeSpan.FromHours(3));
        Assert.Equal(3, (await EscalationsAsync()).Count);
    }

    [Fact]
    public async Task RunOnce_FiresEveryMissedStepOnceInOrder_AfterDowntime()
    {
        await AtAsync(TimeSpan.FromHours(2)); // the relay was down through the whole ladder

        var steps = await EscalationsAsync();

        Assert.Equal(3, steps.Count);
        Assert.Contains("\"step\":0", steps[0]);
        Assert.Contains("\"step\":1", steps[1]);
        Assert.Contains("\"step\":2", steps[2]);
    }

    [Fact]
    public async Task RunOnce_StopsClimbing_OnceAcknowledged_AndResumesWhenTheAckIsTakenBack()
    {
        await AtAsync(TimeSpan.Zero);
        await AcknowledgeAsync("alice", T0.AddMinutes(5));

        await AtAsync(TimeSpan.FromMinutes(20));
        Assert.Single(await EscalationsAsync());

        _time.SetUtcNow(T0.AddMinutes(25));
        await UnacknowledgeAsync(_time.GetUtcNow());
        await AtAsync(TimeSpan.FromMinutes(25));

        Assert.Equal(2, (await EscalationsAsync()).Count);
    }

    [Fact]
    public async Task RunOnce_Stops_WhenTheAlertResolves()
    {
        await AtAsync(TimeSpan.Zero);
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Resolved, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Warning with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(10) }]));
        }

        await AtAsync(TimeSpan.FromHours(1));

        Assert.Single(await EscalationsAsync());
    }

    [Fact]
    public async Task RunOnce_NeverRunsAStepTwice_WhenTwoSchedulersRace()
    {
        _time.SetUtcNow(T0.AddHours(1));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Scheduler().RunOnceAsync(default))));

        Assert.Equal(3, (await EscalationsAsync()).Count);
        await using var connection = Store.Open();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT steps_done FROM escalations WHERE occurrence_id = @_id", new { _id }));
    }
}

public sealed class EscalationSchedulerOnSqlite : EscalationSchedulerContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class EscalationSchedulerOnPostgres : EscalationSchedulerContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

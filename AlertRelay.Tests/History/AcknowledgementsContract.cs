using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.History;

/// <summary>The acknowledgement store on every engine: ack, re-ack, unack, what cannot be acknowledged, expiry, replicas at once.</summary>
public abstract class AcknowledgementsContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    private static Alert Make(string name, int startMinute, int? endMinute = null)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", "critical"));
        return new(Fingerprint.Of(labels), endMinute is null ? AlertStatus.Firing : AlertStatus.Resolved, labels, LabelSet.Empty,
            T0.AddMinutes(startMinute), endMinute is { } e ? T0.AddMinutes(e) : null, "");
    }

    /// <summary>Stores a firing and a resolved occurrence; returns their ids.</summary>
    private async Task<(long Firing, long Resolved)> SeedAsync()
    {
        await using (var running = new RunningWriter(Store.CreateWriter(_time)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Make("Firing", 0), Make("Resolved", 0, 5)]));
        }

        var items = (await Store.Queries.ListAsync(new AlertQuery(), default)).Items;
        return (items.Single(a => a.Alertname == "Firing").Id, items.Single(a => a.Alertname == "Resolved").Id);
    }

    private async Task<(AlertAck? Ack, IReadOnlyList<AlertEvent> Events)> ReadAsync(long id)
    {
        var (alert, events) = (await Store.Queries.GetAsync(id, default))!.Value;
        return (alert.Ack, events.Where(e => e.Kind is EventKinds.Acknowledged or EventKinds.Unacknowledged).ToList());
    }

    [Fact]
    public async Task AcknowledgeAsync_RecordsWhoWhyAndWhen_OnAFiringOccurrence()
    {
        var (firing, _) = await SeedAsync();

        var outcome = await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", "on it", null, T0.AddMinutes(3), default);

        Assert.Equal(AckOutcome.Done, outcome);
        var (ack, events) = await ReadAsync(firing);
        Assert.Equal(new AlertAck("alice", "on it", T0.AddMinutes(3), null), ack);
        var acknowledged = Assert.Single(events);
        Assert.Equal(EventKinds.Acknowledged, acknowledged.Kind);
        Assert.Equal(T0.AddMinutes(3), acknowledged.At);
        Assert.Equal("""{"by":"alice","comment":"on it","expiresAt":null}""", acknowledged.DetailJson);
    }

    [Fact]
    public async Task AcknowledgeAsync_RecordsTheExpiry_AndAcknowledgingAgainReplacesIt()
    {
        var (firing, _) = await SeedAsync();

        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", null, T0.AddHours(1), T0.AddMinutes(3), default));
        Assert.Equal(new AlertAck("alice", null, T0.AddMinutes(3), T0.AddHours(1)), (await ReadAsync(firing)).Ack);

        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(firing, "bob", "mine now", null, T0.AddMinutes(4), default));

        var (ack, events) = await ReadAsync(firing);
        Assert.Equal(new AlertAck("bob", "mine now", T0.AddMinutes(4), null), ack);
        Assert.Equal(2, events.Count);
        Assert.Contains("\"expiresAt\":\"2026-11-24T01:00:00.000Z\"", events[0].DetailJson);
    }

    [Fact]
    public async Task AcknowledgeAsync_IsIdempotent_WhenRepeated()
    {
        var (firing, _) = await SeedAsync();

        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", "x", null, T0.AddMinutes(3), default));
        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", "x", null, T0.AddMinutes(3), default));

        Assert.Equal(new AlertAck("alice", "x", T0.AddMinutes(3), null), (await ReadAsync(firing)).Ack);
    }

    [Fact]
    public async Task AcknowledgeAsync_ReturnsAlreadyResolved_AndChangesNothing_WhenTheOccurrenceIsResolved()
    {
        var (_, resolved) = await SeedAsync();

        Assert.Equal(AckOutcome.AlreadyResolved, await Store.Acknowledgements.AcknowledgeAsync(resolved, "alice", null, null, T0.AddMinutes(10), default));

        var (ack, events) = await ReadAsync(resolved);
        Assert.Null(ack);
        Assert.Empty(events);
    }

    [Fact]
    public async Task AcknowledgeAsync_ReturnsNotFound_WhenTheIdIsUnknown()
    {
        await SeedAsync();

        Assert.Equal(AckOutcome.NotFound, await Store.Acknowledgements.AcknowledgeAsync(999_999, "alice", null, null, T0, default));
    }

    [Fact]
    public async Task UnacknowledgeAsync_RemovesTheAcknowledgement_AndResumesEscalation()
    {
        var (firing, _) = await SeedAsync();
        await using (var connection = Store.Open())
        {
            await connection.ExecuteAsync(
                "INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms) VALUES (@Id, 'p', 0, 1, NULL, 0)",
                new { Id = firing });
        }

        await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", null, T0.AddHours(1), T0.AddMinutes(3), default);

        Assert.Equal(AckOutcome.Done, await Store.Acknowledgements.UnacknowledgeAsync(firing, "bob", T0.AddMinutes(7), default));

        var (ack, events) = await ReadAsync(firing);
        Assert.Null(ack);
        Assert.Equal([EventKinds.Acknowledged, EventKinds.Unacknowledged], events.Select(e => e.Kind));
        Assert.Equal("""{"by":"bob","previouslyAckedBy":"alice"}""", events[1].DetailJson);
        await using var check = Store.Open();
        Assert.Equal(UnixMillis.From(T0.AddMinutes(7)),
            await check.ExecuteScalarAsync<long?>("SELECT next_due_ms FROM escalations WHERE occurrence_id = @Id", new { Id = firing }));
    }

    [Fact]
    public async Task UnacknowledgeAsync_ReturnsNotAcknowledged_WhenThereIsNoAcknowledgement()
    {
        var (firing, _) = await SeedAsync();

        Assert.Equal(AckOutcome.NotAcknowledged, await Store.Acknowledgements.UnacknowledgeAsync(firing, "bob", T0, default));
        Assert.Empty((await ReadAsync(firing)).Events);
    }

    [Fact]
    public async Task UnacknowledgeAsync_ReturnsNotFound_WhenTheIdIsUnknown()
    {
        await SeedAsync();

        Assert.Equal(AckOutcome.NotFound, await Store.Acknowledgements.UnacknowledgeAsync(999_999, null, T0, default));
    }

    [Fact]
    public async Task AcknowledgeAsync_QueuesUpdates_ForTheIntegrationsThatFollowThem_AndUnacknowledgeOnlyForSlack()
    {
        var config = RelayConfigLoader.LoadFromYaml("""
            route: {receiver: oncall}
            receivers:
              - name: oncall
                slack_configs: [{channel: '#alerts', bot_token: xoxb-1}]
                email_configs: [{to: ops@example.com, from: relay@example.com, smarthost: 'localhost:25'}]
                webhook_configs: [{url: 'http://127.0.0.1:1/hook'}]
                pagerduty_configs: [{routing_key: k, url: 'http://127.0.0.1:1/v2/enqueue'}]
                msteamsv2_configs: [{webhook_url: 'http://127.0.0.1:1/workflows/x'}]
            """, "alertrelay.yml");
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: config)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "", [Make("Firing", 0)]));
        }

        var firing = Assert.Single((await Store.Queries.ListAsync(new AlertQuery(), default)).Items).Id;
        await using (var connection = Store.Open())
        {
            Assert.Equal(5, await connection.ExecuteAsync("UPDATE notifications SET status = 'sent' WHERE kind = 'firing'"));
        }

        await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", null, null, T0.AddMinutes(3), default);
        await Store.Acknowledgements.UnacknowledgeAsync(firing, "alice", T0.AddMinutes(4), default);

        await using var check = Store.Open();
        var updates = (await check.QueryAsync<(string Integration, string Detail)>(
            "SELECT integration, detail FROM notifications WHERE kind = 'update' ORDER BY id")).AsList();
        Assert.Equal([("slack", "acknowledged"), ("pagerduty", "acknowledged"), ("slack", "unacknowledged")], updates);
    }

    [Fact]
    public async Task AcknowledgeAsync_FromTwoReplicasAtOnce_LeavesOneAcknowledgement()
    {
        var (firing, _) = await SeedAsync();
        IAcknowledgements replica1 = Store.Acknowledgements, replica2 = Store.Acknowledgements;

        var outcomes = await Task.WhenAll(
            Task.Run(() => replica1.AcknowledgeAsync(firing, "alice", null, null, T0.AddMinutes(3), default)),
            Task.Run(() => replica2.AcknowledgeAsync(firing, "bob", null, null, T0.AddMinutes(3), default)));

        Assert.Equal([AckOutcome.Done, AckOutcome.Done], outcomes);
        var (ack, events) = await ReadAsync(firing);
        Assert.Contains(ack!.By, new[] { "alice", "bob" });
        Assert.Equal(2, events.Count);
        // The one kept is the one acknowledged last.
        Assert.Contains($"\"by\":\"{ack.By}\"", events[^1].DetailJson);
    }

    [Fact]
    public async Task AcknowledgeAsync_WithoutReplace_FromTwoPlacesAtOnce_RecordsOneAcknowledgement_WithItsSource()
    {
        var (firing, _) = await SeedAsync();
        IAcknowledgements replica1 = Store.Acknowledgements, replica2 = Store.Acknowledgements;
        var alice = new Actor("Alice", ActorSources.Slack, "U0ALICE01");
        var bob = new Actor("bob@example.com", ActorSources.Link);

        var outcomes = await Task.WhenAll(
            Task.Run(() => replica1.AcknowledgeAsync(firing, alice, null, null, replace: false, T0.AddMinutes(3), default)),
            Task.Run(() => replica2.AcknowledgeAsync(firing, bob, null, null, replace: false, T0.AddMinutes(3), default)));
        var again = await Store.Acknowledgements.AcknowledgeAsync(firing, alice, null, null, replace: false, T0.AddMinutes(4), default);

        Assert.Equal([AckOutcome.Done, AckOutcome.AlreadyAcknowledged], outcomes.Order());
        Assert.Equal(AckOutcome.AlreadyAcknowledged, again);
        var (ack, events) = await ReadAsync(firing);
        var recorded = Assert.Single(events);
        var by = ack!.By == "Alice" ? alice : bob;
        Assert.Equal(by == alice
            ? """{"by":"Alice","byId":"U0ALICE01","via":"slack","comment":null,"expiresAt":null}"""
            : """{"by":"bob@example.com","byId":null,"via":"link","comment":null,"expiresAt":null}""", recorded.DetailJson);
    }

    [Fact]
    public async Task AcknowledgeAsync_WithoutReplace_AcknowledgesAgain_OnceTheAcknowledgementExpired()
    {
        var (firing, _) = await SeedAsync();
        await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", null, T0.AddMinutes(10), T0.AddMinutes(3), default);
        var carol = new Actor("Carol", ActorSources.Slack, "U0CAROL01");

        var before = await Store.Acknowledgements.AcknowledgeAsync(firing, carol, null, null, replace: false, T0.AddMinutes(9), default);
        var after = await Store.Acknowledgements.AcknowledgeAsync(firing, carol, null, null, replace: false, T0.AddMinutes(10), default);

        Assert.Equal((AckOutcome.AlreadyAcknowledged, AckOutcome.Done), (before, after));
        Assert.Equal("Carol", (await ReadAsync(firing)).Ack!.By);
    }

    [Fact]
    public async Task UnacknowledgeAsync_FromTwoReplicasAtOnce_TakesTheAcknowledgementBackOnce()
    {
        var (firing, _) = await SeedAsync();
        await Store.Acknowledgements.AcknowledgeAsync(firing, "alice", null, null, T0.AddMinutes(3), default);
        IAcknowledgements replica1 = Store.Acknowledgements, replica2 = Store.Acknowledgements;

        var outcomes = await Task.WhenAll(
            Task.Run(() => replica1.UnacknowledgeAsync(firing, "alice", T0.AddMinutes(4), default)),
            Task.Run(() => replica2.UnacknowledgeAsync(firing, "bob", T0.AddMinutes(4), default)));

        Assert.Equal([AckOutcome.Done, AckOutcome.NotAcknowledged], outcomes.Order());
        Assert.Single((await ReadAsync(firing)).Events, e => e.Kind == EventKinds.Unacknowledged);
    }
}

public sealed class AcknowledgementsOnSqlite : AcknowledgementsContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class AcknowledgementsOnPostgres : AcknowledgementsContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

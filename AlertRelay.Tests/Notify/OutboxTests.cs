using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Tests.TestData;
using Dapper;

namespace AlertRelay.Tests.Notify;

public class OutboxTests
{
    public static TheoryData<string, string?, NotificationKind?> Digests => new()
    {
        { "a digest of firing alerts", Outbox.DigestDetail(60, NotificationKind.Firing), NotificationKind.Firing },
        { "a digest of resolves", Outbox.DigestDetail(55, NotificationKind.Resolved), NotificationKind.Resolved },
        { "as stored before", "11 alerts firing", NotificationKind.Firing },
        { "no detail", null, null },
        { "an escalation step", "critical-ladder step 2", null },
    };

    [Theory]
    [MemberData(nameof(Digests))]
    public void DigestOf_ReadsTheKindADigestStandsFor_FromItsDetail(string name, string? detail, NotificationKind? expected) =>
        Assert.True(Outbox.DigestOf(detail) == expected, name);
}

/// <summary>The outbox store itself (<see cref="IOutboxStore"/>) on each engine: leases, outcomes, listing and re-queuing.</summary>
public abstract class OutboxContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    private static OutboxClaim Claim(DateTimeOffset now, IReadOnlyCollection<ClaimedNotification>? held = null, int refillBelow = 16, int perTarget = 32) =>
        new(now, Lease, 32, held ?? [], refillBelow, perTarget);

    private static NotificationOutcome Outcome(ClaimedNotification notification, DeliveryDecision decision) =>
        new(notification, notification.Attempts + 1, decision);

    /// <summary>Queues a firing notification to <paramref name="receiver"/>'s Slack, due at <paramref name="due"/>, about <paramref name="occurrences"/>.</summary>
    private async Task<long> QueueAsync(string receiver, DateTimeOffset due, params long[] occurrences)
    {
        await using var connection = Store.Open();
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO notifications (receiver, integration, integration_index, kind, next_attempt_ms, created_at_ms, updated_at_ms)
            VALUES (@receiver, 'slack', 0, 'firing', @Due, @Due, @Due)
            RETURNING id
            """,
            new { receiver, Due = UnixMillis.From(due) });
        foreach (var occurrence in occurrences)
        {
            await connection.ExecuteAsync(
                "INSERT INTO notification_alerts (notification_id, occurrence_id) VALUES (@id, @occurrence)", new { id, occurrence });
        }

        return id;
    }

    /// <summary>Stores a firing occurrence (just what the outbox refers to) and returns its id.</summary>
    private async Task<long> OccurrenceAsync(long fingerprint)
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms)
            VALUES (@fingerprint, @At, 'firing', '{}', '{}', @At, @At)
            RETURNING id
            """,
            new { fingerprint, At = UnixMillis.From(T0) });
    }

    private async Task<long> EventsAsync(string kind)
    {
        await using var connection = Store.Open();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_events WHERE kind = @kind", new { kind });
    }

    [Fact]
    public async Task ClaimAsync_LeasesWhatIsDue_AndTakesItAgainOnlyOnceTheLeaseRunsOut()
    {
        var first = await QueueAsync("oncall", T0);
        var second = await QueueAsync("oncall", T0);
        await QueueAsync("oncall", T0.AddMinutes(10));

        var claimed = await Store.Outbox.ClaimAsync(Claim(T0), default);
        var duringLease = await Store.Outbox.ClaimAsync(Claim(T0 + Lease - TimeSpan.FromMilliseconds(1)), default);
        var afterLease = await Store.Outbox.ClaimAsync(Claim(T0 + Lease), default);

        Assert.Equal([(first, false), (second, false)], claimed.Select(n => (n.Id, n.Reclaimed)));
        Assert.Equal(new NotificationTarget("oncall", "slack", 0), claimed[0].Target);
        Assert.Empty(duringLease);
        Assert.Equal([(first, true), (second, true)], afterLease.Select(n => (n.Id, n.Reclaimed)));
    }

    [Fact]
    public async Task RenewAsync_ExtendsOnlyTheLeasesTheDispatcherStillHolds()
    {
        var kept = await QueueAsync("oncall", T0);
        var lost = await QueueAsync("oncall", T0);
        var heldUntil = UnixMillis.From(T0 + Lease);
        await Store.Outbox.ClaimAsync(Claim(T0), default);
        // The second lease ran out and another replica claimed it: its claimed_until_ms is that replica's now.
        var other = await Store.Outbox.ClaimAsync(Claim(T0 + Lease, [new ClaimedNotification(kept, new NotificationTarget("oncall", "slack", 0),
            NotificationKind.Firing, null, 0, T0, false)]), default);
        Assert.Equal([lost], other.Select(n => n.Id));

        var renewed = await Store.Outbox.RenewAsync([new OutboxLease(kept, heldUntil), new OutboxLease(lost, heldUntil)],
            heldUntil + 60_000, default);

        Assert.Equal([kept], renewed);
        Assert.Empty(await Store.Outbox.ClaimAsync(Claim(T0 + Lease + TimeSpan.FromSeconds(30)), default)); // kept: renewed; lost: the other's
    }

    [Fact]
    public async Task ClaimAsync_LeavesWhatTheDispatcherHolds_AndFillsEachTargetOnlyUpToItsRoom()
    {
        var a = new[] { await QueueAsync("a", T0), await QueueAsync("a", T0), await QueueAsync("a", T0) };
        var b = new[] { await QueueAsync("b", T0), await QueueAsync("b", T0), await QueueAsync("b", T0) };
        var c = new[] { await QueueAsync("c", T0), await QueueAsync("c", T0) };
        ClaimedNotification Held(long id, string receiver) => new(id, new NotificationTarget(receiver, "slack", 0), NotificationKind.Firing, null, 0, T0, false);

        // b holds one of two (room for one more); c holds two, which is full.
        var claimed = await Store.Outbox.ClaimAsync(Claim(T0, [Held(b[0], "b"), Held(c[0], "c"), Held(c[1], "c")], refillBelow: 2, perTarget: 2), default);

        Assert.Equal([a[0], a[1], b[1]], claimed.Select(n => n.Id));
    }

    [Fact]
    public async Task RecordAsync_RecordsNothing_WhenAnotherDispatcherFinishedTheNotificationAfterTheLeaseRanOut()
    {
        var occurrence = await OccurrenceAsync(1);
        await QueueAsync("oncall", T0, occurrence);
        var slow = Assert.Single(await Store.Outbox.ClaimAsync(Claim(T0), default));
        var other = Assert.Single(await Store.Outbox.ClaimAsync(Claim(T0 + Lease), default));

        var byOther = await Store.Outbox.RecordAsync([Outcome(other, new DeliveryDecision.Delivered(new DeliveryRef(EmailMessageId: "<1@relay>")))], T0 + Lease, default);
        var bySlow = await Store.Outbox.RecordAsync([Outcome(slow, new DeliveryDecision.Retry("HTTP 503", TimeSpan.FromSeconds(5)))], T0 + Lease + Lease, default);

        Assert.Equal([true], byOther);
        Assert.Equal([false], bySlow);
        var record = Assert.Single(await Store.Outbox.ListAsync(null, 10, null, default));
        Assert.Equal(("sent", 1, null, T0 + Lease), (record.Status, record.Attempts, record.LastError, record.SentAt));
        Assert.Equal(1, await EventsAsync("notified"));
        Assert.Equal(0, await EventsAsync("notification_retry"));
        Assert.Empty(await Store.Outbox.ClaimAsync(Claim(T0.AddHours(1)), default));
    }

    [Fact]
    public async Task RecordAsync_SchedulesARetry_AndDeadLettersAPermanentFailure()
    {
        await QueueAsync("oncall", T0);
        await QueueAsync("oncall", T0);
        var claimed = await Store.Outbox.ClaimAsync(Claim(T0), default);

        var recorded = await Store.Outbox.RecordAsync(
            [Outcome(claimed[0], new DeliveryDecision.Retry("HTTP 503", TimeSpan.FromSeconds(30))), Outcome(claimed[1], new DeliveryDecision.Dead("channel_not_found"))],
            T0.AddSeconds(1), default);

        Assert.Equal([true, true], recorded);
        var (retry, dead) = ((await Store.Outbox.ListAsync("pending", 10, null, default)).Single(), (await Store.Outbox.ListAsync("dead", 10, null, default)).Single());
        Assert.Equal((claimed[0].Id, 1, "HTTP 503", T0.AddSeconds(31)), (retry.Id, retry.Attempts, retry.LastError, retry.NextAttemptAt));
        Assert.Equal((claimed[1].Id, 1, "channel_not_found", (DateTimeOffset?)null), (dead.Id, dead.Attempts, dead.LastError, dead.NextAttemptAt));
        Assert.Empty(await Store.Outbox.ClaimAsync(Claim(T0.AddSeconds(30)), default)); // the lease ended with the outcome; the retry is not due yet
        Assert.Equal([claimed[0].Id], (await Store.Outbox.ClaimAsync(Claim(T0.AddSeconds(31)), default)).Select(n => n.Id));
    }

    [Fact]
    public async Task ListAsync_ShowsNewestFirst_ByStatus_FromBeforeAnId_WithTheAlertsOfEach()
    {
        var (o1, o2) = (await OccurrenceAsync(1), await OccurrenceAsync(2));
        var first = await QueueAsync("oncall", T0, o1);
        var digest = await QueueAsync("oncall", T0, o1, o2);
        var third = await QueueAsync("oncall", T0);
        var claimed = await Store.Outbox.ClaimAsync(Claim(T0), default);
        await Store.Outbox.RecordAsync([Outcome(claimed[0], new DeliveryDecision.Dead("channel_not_found"))], T0, default);

        var all = await Store.Outbox.ListAsync(null, 10, null, default);
        var dead = await Store.Outbox.ListAsync("dead", 10, null, default);
        var page = await Store.Outbox.ListAsync(null, 1, third, default);

        Assert.Equal([third, digest, first], all.Select(n => n.Id));
        Assert.Equal([[], [o1, o2], [o1]], all.Select(n => n.Alerts));
        Assert.Equal(("oncall", "slack", 0, "firing", T0), (all[0].Receiver, all[0].Integration, all[0].IntegrationIndex, all[0].Kind, all[0].CreatedAt));
        Assert.Equal([first], dead.Select(n => n.Id));
        Assert.Equal([digest], page.Select(n => n.Id));
    }

    [Fact]
    public async Task RequeueAsync_QueuesADeadNotificationAgain_AndTheGaugesFollow()
    {
        var id = await QueueAsync("oncall", T0);
        await QueueAsync("oncall", T0.AddSeconds(5));
        var claimed = await Store.Outbox.ClaimAsync(Claim(T0), default);
        await Store.Outbox.RecordAsync([Outcome(claimed[0], new DeliveryDecision.Dead("channel_not_found"))], T0, default);
        Assert.Equal(new OutboxGauges(1, 1, T0.AddSeconds(5)), await Store.Outbox.GaugesAsync(default));

        Assert.Equal(RetryOutcome.Queued, await Store.Outbox.RequeueAsync(id, T0.AddMinutes(1), default));
        Assert.Equal(RetryOutcome.NotDead, await Store.Outbox.RequeueAsync(id, T0.AddMinutes(1), default));
        Assert.Equal(RetryOutcome.NotFound, await Store.Outbox.RequeueAsync(id + 100, T0.AddMinutes(1), default));

        Assert.Equal(new OutboxGauges(2, 0, T0), await Store.Outbox.GaugesAsync(default));
        var again = Assert.Single(await Store.Outbox.ClaimAsync(Claim(T0.AddMinutes(1)), default), n => n.Id == id);
        Assert.Equal((0, false), (again.Attempts, again.Reclaimed));
    }
}

public sealed class OutboxOnSqlite : OutboxContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class OutboxOnPostgres : OutboxContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

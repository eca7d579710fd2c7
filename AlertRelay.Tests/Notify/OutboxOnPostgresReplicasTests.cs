using System.Collections.Concurrent;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlertRelay.Tests.Notify;

/// <summary>
/// Several relays on one PostgreSQL: two replicas, each with its own data source and outbox store, share one outbox and
/// behave as one relay — each notification is claimed by one of them, and one that stops leaves its claims to the other.
/// </summary>
public sealed class OutboxOnPostgresReplicasTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private PostgresTestStore _store = null!;
    private PostgresDatabase _replicaA = null!;
    private PostgresDatabase _replicaB = null!;

    public async Task InitializeAsync()
    {
        _store = await PostgresTestStore.CreatePostgresAsync();
        _replicaA = new PostgresDatabase(_store.ConnectionString, 4, 5, NullLogger<PostgresDatabase>.Instance);
        _replicaB = new PostgresDatabase(_store.ConnectionString, 4, 5, NullLogger<PostgresDatabase>.Instance);
    }

    public async Task DisposeAsync()
    {
        _replicaA.Dispose();
        _replicaB.Dispose();
        await _store.DisposeAsync();
    }

    private static OutboxClaim Claim(DateTimeOffset now, int batch = 32) => new(now, Lease, batch, [], refillBelow: batch, perTarget: batch);

    /// <summary>Queues <paramref name="count"/> firing notifications, due at T0, spread over three receivers.</summary>
    private async Task<long[]> QueueAsync(int count)
    {
        await using var connection = _store.Database.Open();
        return (await connection.QueryAsync<long>(
            """
            INSERT INTO notifications (receiver, integration, integration_index, kind, next_attempt_ms, created_at_ms, updated_at_ms)
            SELECT 'r' || (i % 3), 'slack', 0, 'firing', @Now, @Now, @Now FROM generate_series(1, @count) AS i
            RETURNING id
            """,
            new { count, Now = UnixMillis.From(T0) })).ToArray();
    }

    [Fact]
    public async Task ClaimAsync_TakesEveryNotificationExactlyOnce_WhenTwoReplicasClaimAtTheSameTime()
    {
        var queued = await QueueAsync(300);
        var claims = new ConcurrentQueue<long>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Two claimers per replica, small batches: many claim transactions overlap.
        async Task ClaimUntilNoneLeftAsync(IOutboxStore replica)
        {
            await start.Task;
            while (await replica.ClaimAsync(Claim(T0, batch: 8), default) is { Count: > 0 } claimed)
            {
                foreach (var n in claimed)
                {
                    claims.Enqueue(n.Id);
                }
            }
        }

        var outboxA = new PostgresOutboxStore(_replicaA);
        var outboxB = new PostgresOutboxStore(_replicaB);
        var claimers = new[] { outboxA, outboxB, outboxA, outboxB }.Select(r => Task.Run(() => ClaimUntilNoneLeftAsync(r))).ToArray();
        start.SetResult();
        await Task.WhenAll(claimers);

        Assert.Equal(queued.Order(), claims.Order()); // each once: none twice, none left
        await using var connection = _store.Database.Open();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM notifications WHERE claimed_until_ms IS DISTINCT FROM @Until", new { Until = UnixMillis.From(T0 + Lease) }));
    }

    [Fact]
    public async Task ClaimAsync_TakesTheClaimOfAReplicaThatStopped_OnceItsLeaseRanOut_AndItsLateOutcomeIsNotRecorded()
    {
        var id = Assert.Single(await QueueAsync(1));
        var outboxA = new PostgresOutboxStore(_replicaA);
        var outboxB = new PostgresOutboxStore(_replicaB);
        var byA = Assert.Single(await outboxA.ClaimAsync(Claim(T0), default)); // A claims, then stalls mid-delivery

        var duringLease = await outboxB.ClaimAsync(Claim(T0 + Lease - TimeSpan.FromMilliseconds(1)), default);
        var byB = Assert.Single(await outboxB.ClaimAsync(Claim(T0 + Lease), default));
        var recordedByB = await outboxB.RecordAsync([new NotificationOutcome(byB, 1, new DeliveryDecision.Delivered(null))], T0 + Lease, default);
        var recordedByA = await outboxA.RecordAsync([new NotificationOutcome(byA, 1, new DeliveryDecision.Dead("timed out"))], T0 + Lease + Lease, default);

        Assert.Empty(duringLease);
        Assert.Equal((id, false), (byA.Id, byA.Reclaimed));
        Assert.Equal((id, true), (byB.Id, byB.Reclaimed));
        Assert.Equal([true], recordedByB);
        Assert.Equal([false], recordedByA);
        Assert.Equal("sent", Assert.Single(await outboxA.ListAsync(null, 10, null, default)).Status);
    }

    [Fact]
    public async Task RecordAsync_RecordsEachOutcomeOnce_WhenTwoReplicasRecordTheSameNotificationsAtTheSameTime()
    {
        var queued = await QueueAsync(20);
        var outboxA = new PostgresOutboxStore(_replicaA);
        var outboxB = new PostgresOutboxStore(_replicaB);
        var byA = await outboxA.ClaimAsync(Claim(T0), default);
        var byB = await outboxB.ClaimAsync(Claim(T0 + Lease), default); // A's lease ran out while it was sending
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Opposite orders: rows locked as they come would deadlock.
        async Task<IReadOnlyList<bool>> RecordAsync(IOutboxStore replica, IEnumerable<ClaimedNotification> claimed)
        {
            await start.Task;
            return await replica.RecordAsync([.. claimed.Select(n => new NotificationOutcome(n, 1, new DeliveryDecision.Delivered(null)))], T0 + Lease, default);
        }

        var recordingA = Task.Run(() => RecordAsync(outboxA, byA));
        var recordingB = Task.Run(() => RecordAsync(outboxB, byB.Reverse()));
        start.SetResult();
        var (recordedA, recordedB) = (await recordingA, await recordingB);

        Assert.Equal(queued, byA.Select(n => n.Id));
        Assert.Equal(queued, byB.Select(n => n.Id));
        var byIdA = byA.Zip(recordedA).ToDictionary(r => r.First.Id, r => r.Second);
        var byIdB = byB.Reverse().Zip(recordedB).ToDictionary(r => r.First.Id, r => r.Second);
        Assert.All(queued, id => Assert.True(byIdA[id] ^ byIdB[id], $"notification {id} recorded by exactly one replica"));
        await using var connection = _store.Database.Open();
        Assert.Equal(20, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notifications WHERE status = 'sent' AND attempts = 1"));
    }

    [Fact]
    public async Task ClaimAsync_WaitsForNoOtherReplica_WhileItsClaimTransactionIsOpen()
    {
        var queued = await QueueAsync(10);
        await using var connection = await _replicaA.OpenAsync(default);
        await using var transaction = await connection.BeginTransactionAsync();
        var locked = (await connection.QueryAsync<long>(
            "SELECT id FROM notifications ORDER BY id LIMIT 4 FOR NO KEY UPDATE SKIP LOCKED", transaction: transaction)).ToArray();

        // Replica B claims while A's claim has the first four rows locked: it takes the others and does not wait for A.
        var byB = await new PostgresOutboxStore(_replicaB).ClaimAsync(Claim(T0), default);

        Assert.Equal(queued.Except(locked), byB.Select(n => n.Id));
        await transaction.RollbackAsync();
    }
}

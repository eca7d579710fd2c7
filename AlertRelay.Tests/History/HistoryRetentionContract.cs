using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.History;

/// <summary>Retention on every engine: what goes, what always stays.</summary>
public abstract class HistoryRetentionContract : StoreContract
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private IHistoryRetention Retention(int batchSize = 2, IdentityIndex? identities = null) =>
        Store.CreateRetention(_time, new HistoryOptions { RetainDays = 90, BatchSize = batchSize, PauseMilliseconds = 0 }, identities);

    private async Task<long> OccurrenceAsync(string name, string status, int daysAgo, string? notification = null)
    {
        await using var connection = Store.Open();
        var startsMs = UnixMillis.From(Now.AddDays(-daysAgo));
        var id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, labels, annotations, received_at_ms, updated_at_ms)
            VALUES (@Fingerprint, @Starts, @Ends, @Status, @Name, '{}', '{}', @Starts, @Starts) RETURNING id
            """,
            new { Fingerprint = FingerprintOf(name).ToInt64(), Starts = startsMs, Ends = status == "resolved" ? startsMs + 60_000 : (long?)null, Status = status, Name = name });
        await connection.ExecuteAsync("INSERT INTO alert_events (occurrence_id, at_ms, kind) VALUES (@id, @at, 'received')", new { id, at = startsMs });
        if (notification is not null)
        {
            var notificationId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO notifications (receiver, integration, integration_index, kind, status, next_attempt_ms, created_at_ms, updated_at_ms)
                VALUES ('oncall', 'slack', 0, 'firing', @Status, @Starts, @Starts, @Starts) RETURNING id
                """, new { Status = notification, Starts = startsMs });
            await connection.ExecuteAsync("INSERT INTO notification_alerts (notification_id, occurrence_id) VALUES (@notificationId, @id)", new { notificationId, id });
        }

        return id;
    }

    private static Fingerprint FingerprintOf(string name) => Fingerprint.Of(LabelSet.From(("alertname", name)));

    private async Task<string[]> NamesAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>("SELECT alertname FROM alert_occurrences ORDER BY alertname")).ToArray();
    }

    [Fact]
    public async Task RunOnce_DeletesOldResolvedHistoryInBatches_AndKeepsFiringAndUndelivered()
    {
        for (var i = 0; i < 5; i++)
        {
            await OccurrenceAsync($"OldResolved{i}", "resolved", daysAgo: 120, notification: i == 0 ? "sent" : null);
        }

        await OccurrenceAsync("OldFiring", "firing", daysAgo: 120);
        await OccurrenceAsync("OldWithPendingNotification", "resolved", daysAgo: 120, notification: "pending");
        await OccurrenceAsync("OldWithDeadNotification", "resolved", daysAgo: 120, notification: "dead");
        await OccurrenceAsync("Recent", "resolved", daysAgo: 10);

        var (occurrences, notifications) = await Retention(batchSize: 2).RunOnceAsync(default);

        Assert.Equal(5, occurrences);
        Assert.Equal(1, notifications);
        Assert.Equal(["OldFiring", "OldWithDeadNotification", "OldWithPendingNotification", "Recent"], await NamesAsync());
        await using var connection = Store.Open();
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_events")); // events went with their occurrences
        Assert.Equal(["dead", "pending"], (await connection.QueryAsync<string>("SELECT status FROM notifications ORDER BY status")).ToArray());
    }

    [Fact]
    public async Task RunOnce_KeepsEverything_WhenRetainDaysIsZero()
    {
        await OccurrenceAsync("Ancient", "resolved", daysAgo: 3650);
        var retention = Store.CreateRetention(_time, new HistoryOptions { RetainDays = 0 });

        Assert.Equal((0L, 0L), await retention.RunOnceAsync(default));
        Assert.Equal(["Ancient"], await NamesAsync());
    }

    [Fact]
    public async Task RunOnce_ReportsDeletedOccurrencesToTheIdentityIndex()
    {
        var deleted = await OccurrenceAsync("OldResolved", "resolved", daysAgo: 120);
        var kept = await OccurrenceAsync("Recent", "resolved", daysAgo: 10);
        var identities = new IdentityIndex();
        identities.AddStored(FingerprintOf("OldResolved"), UnixMillis.From(Now.AddDays(-120)), deleted);
        identities.AddStored(FingerprintOf("Recent"), UnixMillis.From(Now.AddDays(-10)), kept);

        Assert.Equal((1L, 0L), await Retention(identities: identities).RunOnceAsync(default));

        Assert.Equal(1, identities.ApplyForgotten());
        Assert.False(identities.TryGetLatest(FingerprintOf("OldResolved"), out _));
        Assert.True(identities.TryGetLatest(FingerprintOf("Recent"), out _));
    }

    [Fact]
    public async Task RunOnce_DeletesNothingMore_WhenRunAgain()
    {
        await OccurrenceAsync("OldResolved", "resolved", daysAgo: 120, notification: "sent");

        Assert.Equal((1L, 1L), await Retention().RunOnceAsync(default));
        Assert.Equal((0L, 0L), await Retention().RunOnceAsync(default));
    }
}

public sealed class HistoryRetentionOnSqlite : HistoryRetentionContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class HistoryRetentionOnPostgres : HistoryRetentionContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Pipeline;
using AlertRelay.Tests.Heartbeats;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using static AlertRelay.Tests.Pipeline.AlertChainTimeIntervalTests;

namespace AlertRelay.Tests.Pipeline;

/// <summary>
/// Pending unmutes through the ingest writer on every engine: the row written with the <c>muted</c> event survives a restart, the
/// pass notifies the receiver once when the mute ends, a resolve deletes the row, deleting the occurrence deletes it (retention),
/// and passes while the receiver is still muted take no write transaction.
/// </summary>
public abstract class UnmuteStoreContract : StoreContract
{
    // Config: critical goes to pager (muted on weekends) and to team (active in office hours, Monday to Friday 09:00-17:00 UTC).
    protected static readonly DateTimeOffset Monday0850 = new(2026, 11, 30, 8, 50, 0, TimeSpan.Zero);
    protected static readonly DateTimeOffset Monday0900 = Monday0850.AddMinutes(10);

    protected FakeTimeProvider Time { get; } = new(Monday0850);

    protected (RunningWriter Writer, CountingIngestStore Store) StartWriter()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new IngestOptions());
        var store = new CountingIngestStore(Store.CreateIngestStore(options));
        var writer = new IngestWriter(store, new IngestState(new IdentityIndex()), RelayConfigProvider.Fixed(Config, Time, NullLogger.Instance), Store.Signal,
            Time, options, Microsoft.Extensions.Options.Options.Create(Store.NotifyOptions), NullLogger<IngestWriter>.Instance);
        return (new RunningWriter(writer), store);
    }

    protected static Task<IngestResult> PassAsync(RunningWriter writer) => writer.Pipeline.NotifyUnmutedAsync(CancellationToken.None);

    private async Task<List<(long OccurrenceId, string Receiver, long SinceMs)>> MutedReceiversAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<(long, string, long)>("SELECT occurrence_id, receiver, since_ms FROM muted_receivers ORDER BY occurrence_id, receiver")).AsList();
    }

    protected async Task<string[]> NotifiedAsync(string kind)
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>("SELECT receiver FROM notifications WHERE kind = @kind ORDER BY receiver", new { kind })).ToArray();
    }

    private async Task<string[]> UnmutedEventsAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<string>("SELECT detail FROM alert_events WHERE kind = @kind ORDER BY id", new { kind = EventKinds.Unmuted })).ToArray();
    }

    [Fact]
    public async Task NotifyUnmutedAsync_NotifiesTheReceiverOnce_WhenTheMuteEndsAfterARestart()
    {
        var (before, _) = StartWriter();
        await using (before)
        {
            await before.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
        }

        var id = Assert.Single(await MutedReceiversAsync()).OccurrenceId;
        Assert.Equal([(id, "team", UnixMillis.From(Monday0850))], await MutedReceiversAsync());
        Assert.Equal(["pager"], await NotifiedAsync("firing"));

        Time.SetUtcNow(Monday0900);
        var (after, _) = StartWriter(); // a new process: what waits is in the database
        await using (after)
        {
            Assert.Equal(new IngestResult(1, 0, 1, 0), await PassAsync(after));
            Assert.Equal(new IngestResult(0, 0, 0, 0), await PassAsync(after));

            Assert.Equal(["pager", "team"], await NotifiedAsync("firing"));
            Assert.Empty(await MutedReceiversAsync());
            Assert.Contains("\"receiver\":\"team\"", Assert.Single(await UnmutedEventsAsync()), StringComparison.Ordinal);

            await after.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850, AlertStatus.Resolved)));
            Assert.Equal(["pager", "team"], await NotifiedAsync("resolved")); // team heard it fire: it hears it resolve
        }
    }

    [Fact]
    public async Task NotifyUnmutedAsync_NotifiesNothing_WhenTheAlertResolvedBeforeTheMuteEnded()
    {
        var (writer, _) = StartWriter();
        await using (writer)
        {
            await writer.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
            Time.Advance(TimeSpan.FromMinutes(5));
            await writer.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850, AlertStatus.Resolved)));
            Assert.Empty(await MutedReceiversAsync());

            Time.SetUtcNow(Monday0900);
            Assert.Equal(new IngestResult(0, 0, 0, 0), await PassAsync(writer));

            Assert.Equal(["pager"], await NotifiedAsync("firing"));
            Assert.Empty(await UnmutedEventsAsync());
        }
    }

    [Fact]
    public async Task NotifyUnmutedAsync_TakesNoWriteTransaction_WhileTheReceiverIsStillMuted()
    {
        var (writer, store) = StartWriter();
        await using (writer)
        {
            await writer.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
            var writes = store.Writes;
            for (var i = 0; i < 5; i++)
            {
                Time.Advance(TimeSpan.FromSeconds(15));
                Assert.Equal(new IngestResult(0, 0, 0, 0), await PassAsync(writer));
            }

            Assert.Equal(writes, store.Writes);
            Assert.Single(await MutedReceiversAsync());
        }
    }

    [Fact]
    public async Task NotifyUnmutedAsync_DropsTheRowWithoutNotifying_WhenSomeoneAcknowledgedTheAlert()
    {
        var (writer, _) = StartWriter();
        await using (writer)
        {
            await writer.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
            var id = Assert.Single(await MutedReceiversAsync()).OccurrenceId;
            await Store.Acknowledgements.AcknowledgeAsync(id, new Actor("alice", ActorSources.Slack, "U1"), null, null, replace: false, Time.GetUtcNow(), default);

            Time.SetUtcNow(Monday0900);
            Assert.Equal(new IngestResult(1, 0, 0, 0), await PassAsync(writer));

            Assert.Empty(await MutedReceiversAsync());
            Assert.Equal(["pager"], await NotifiedAsync("firing"));
            Assert.Empty(await UnmutedEventsAsync());
        }
    }

    [Fact]
    public async Task DeletingTheOccurrence_DeletesItsPendingUnmutes()
    {
        var (writer, _) = StartWriter();
        await using (writer)
        {
            await writer.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
        }

        await using var connection = Store.Open();
        await connection.ExecuteAsync("DELETE FROM alert_occurrences"); // as retention does, batch by batch
        Assert.Empty(await MutedReceiversAsync());
    }
}

public sealed class UnmuteStoreOnSqlite : UnmuteStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class UnmuteStoreOnPostgres : UnmuteStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();

    [Fact]
    public async Task NotifyUnmutedAsync_NotifiesOnce_WhenTwoReplicasPassAtOnce()
    {
        var (a, _) = StartWriter();
        var (b, _) = StartWriter();
        await using (a)
        await using (b)
        {
            await a.SubmitAsync(Message(Alert("NodeDown", "critical", Monday0850)));
            Time.SetUtcNow(Monday0900);

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PassAsync(i % 2 == 0 ? a : b)));

            Assert.Equal(1, results.Sum(r => r.Changed));
            Assert.Equal(["pager", "team"], await NotifiedAsync("firing"));
        }
    }
}

using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// The inbox on each engine: a body accepted (durable) is applied by the writer exactly once — in the writer that runs now, in
/// the next one after a stop, or in another replica's — and a full inbox refuses without storing anything.
/// </summary>
public abstract class InboxContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);

    [Fact]
    public async Task Accept_IsAppliedOnceAndReportsWhatChanged_WhenTheWriterRuns()
    {
        var (writer, inbox) = Store.CreateInbox(_time);
        await using var running = new Running(writer, inbox);

        var receipt = await Accept(inbox, "firing-group-of-two.json");
        var applied = await receipt.Applied.WaitAsync(TimeSpan.FromSeconds(30));
        var again = await (await Accept(inbox, "firing-group-of-two.json")).Applied.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new IngestResult(2, 2, 0, 0), applied);
        Assert.Equal(new IngestResult(2, 0, 0, 2), again);
        Assert.Equal(2, await CountAsync("alert_occurrences"));
        Assert.Equal(0, await Store.InboxWaitingAsync());
    }

    [Fact]
    public async Task RowsAcceptedBeforeAStop_AreAppliedOnceByTheNextWriter()
    {
        var (_, inbox) = Store.CreateInbox(_time);
        var receipts = new List<InboxReceipt>();
        await using (new Running(null, inbox)) // no writer: a crash right after the 2xx
        {
            foreach (var body in new[] { "firing-group-of-two.json", "firing-single.json", "resolved-single.json" })
            {
                receipts.Add(await Accept(inbox, body));
            }
        }

        Assert.Equal(3, await Store.InboxWaitingAsync());
        Assert.Equal(0, await CountAsync("alert_occurrences"));

        // The next process's appender counts what waits before its first append (the backlog gauge, the 503 threshold).
        var (_, restarted) = Store.CreateInbox(_time);
        await using (new Running(null, restarted))
        {
            await Eventually.UntilAsync(() => restarted.BacklogAlerts == 4, TimeSpan.FromSeconds(10), "the restarted appender to read the backlog");
        }

        // The next process: its writer parses the bodies from the store (nothing in memory) and applies them in order.
        var (writer, _) = Store.CreateInbox(_time);
        await using (new RunningWriter(writer))
        {
            await Eventually.UntilAsync(async () => await Store.InboxWaitingAsync() == 0, TimeSpan.FromSeconds(30), "the inbox to be applied");
        }

        Assert.Equal(3, await CountAsync("alert_occurrences"));
        Assert.Equal(1, await Store.Open().QuerySingleAsync<long>("SELECT count(*) FROM alert_occurrences WHERE status = 'resolved'"));
        Assert.All(receipts, r => Assert.False(r.Applied.IsCompleted)); // that process is gone: nobody waits any more
    }

    [Fact]
    public async Task TwoWritersDrainingOneInbox_ApplyEachRowOnce()
    {
        var (writerA, inboxA) = Store.CreateInbox(_time);
        var (writerB, inboxB) = Store.CreateInbox(_time);
        await using var a = new Running(writerA, inboxA);
        await using var b = new Running(writerB, inboxB);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Accept(i % 2 == 0 ? inboxA : inboxB, Body(i))));
        await Eventually.UntilAsync(async () => await Store.InboxWaitingAsync() == 0, TimeSpan.FromSeconds(30), "the inbox to be applied");

        Assert.Equal(40, await CountAsync("alert_occurrences"));
        Assert.Equal(40, await Store.Open().QuerySingleAsync<long>("SELECT count(*) FROM alert_events WHERE kind = 'received'"));

        // A row the other writer applied is known to be gone at this writer's next pass (the host's one-second tick).
        await Task.WhenAll(writerA.ConfirmDueReopensAsync(CancellationToken.None), writerB.ConfirmDueReopensAsync(CancellationToken.None));
        Assert.All(receipts, r => Assert.True(r.Applied.IsCompleted)); // with counts by its own writer, null by the other
    }

    [Fact]
    public async Task Accept_RefusesAndStoresNothing_WhenTheBacklogIsFull()
    {
        var options = new IngestOptions { MaxBacklogAlerts = 1000 };
        var (_, inbox) = Store.CreateInbox(_time, options);
        await using var running = new Running(null, inbox); // no writer: the backlog only grows
        var big = Body(0, alerts: 400);
        await Accept(inbox, big);
        await Accept(inbox, big);

        var full = await Assert.ThrowsAsync<InboxFullException>(() => Accept(inbox, big));

        Assert.Contains("800 alerts", full.Message);
        Assert.Equal(2, await Store.InboxWaitingAsync());
    }

    protected static Task<InboxReceipt> Accept(InboxAppender inbox, string fixture) => Accept(inbox, Fixtures.Bytes(fixture));

    protected static Task<InboxReceipt> Accept(InboxAppender inbox, byte[] body) =>
        inbox.AcceptAsync(body, WebhookParser.Parse(body).Message!, CancellationToken.None);

    private static byte[] Body(int n, int alerts = 1)
    {
        var items = string.Join(",", Enumerable.Range(0, alerts).Select(i =>
            $$"""{"status":"firing","labels":{"alertname":"Inbox","n":"{{n}}","i":"{{i}}"},"annotations":{},"startsAt":"2026-12-04T08:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":""}"""));
        return System.Text.Encoding.UTF8.GetBytes(
            $$"""{"version":"4","groupKey":"{}:{n=\"{{n}}\"}","truncatedAlerts":0,"status":"firing","receiver":"r","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am","alerts":[{{items}}]}""");
    }

    private async Task<long> CountAsync(string table)
    {
        await using var connection = Store.Open();
        return await connection.QuerySingleAsync<long>($"SELECT count(*) FROM {table}");
    }

    /// <summary>A writer and its appender running, as the host's ingest worker runs them.</summary>
    protected sealed class Running : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loops;

        public Running(IngestWriter? writer, InboxAppender inbox)
        {
            _loops = Task.WhenAll(
                writer is null ? Task.CompletedTask : Task.Run(() => writer.RunAsync(_stop.Token)),
                Task.Run(() => inbox.RunAsync(_stop.Token)));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loops;
            _stop.Dispose();
        }
    }
}

public sealed class InboxOnSqlite : InboxContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();

    [Fact]
    public async Task Accept_DoesNotWaitForTheWriter_WhenAWriteTransactionHoldsTheHistory()
    {
        var (_, inbox) = Store.CreateInbox(new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        await using var running = new Running(null, inbox);
        var history = ((SqliteTestStore)Store).Database;
        await using var writer = history.Open();
        await using var transaction = writer.BeginTransaction(deferred: false); // the writer's transaction, however long

        var receipt = await Accept(inbox, Fixtures.Bytes("firing-group-of-two.json")).WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(2, receipt.Alerts);
        Assert.Equal(1, await Store.InboxWaitingAsync()); // the inbox file has its own write lock
    }
}

public sealed class InboxOnPostgres : InboxContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

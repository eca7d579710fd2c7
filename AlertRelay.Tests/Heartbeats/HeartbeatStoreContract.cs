using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Pipeline;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>
/// The heartbeat state through the ingest writer on every engine: seen (re-sends too), missing once, back, the restart grace, and
/// a pass with nothing to do taking no write transaction.
/// </summary>
public abstract class HeartbeatStoreContract : StoreContract
{
    protected static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    protected static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml("""
        route:
          receiver: ops
        receivers:
          - name: ops
        heartbeats:
          - name: prometheus
            matchers: ['alertname="Watchdog"']
            timeout: 1m
            receiver: ops
        """, "alertrelay.yml");

    protected FakeTimeProvider Time { get; } = new(T0);

    /// <summary>A writer on the store as a relay process has it (its own heartbeat watch); counts its write transactions.</summary>
    protected (RunningWriter Writer, CountingIngestStore Store) StartWriter(RelayConfig? config = null)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new IngestOptions());
        var store = new CountingIngestStore(Store.CreateIngestStore(options));
        var writer = new IngestWriter(store, new IngestState(new IdentityIndex()), RelayConfigProvider.Fixed(config ?? Config, Time, NullLogger.Instance), Store.Signal,
            Time, options, Microsoft.Extensions.Options.Options.Create(Store.NotifyOptions), NullLogger<IngestWriter>.Instance, heartbeatWatch: new HeartbeatWatch(Time));
        return (new RunningWriter(writer), store);
    }

    protected static Task<IngestResult> WatchdogAsync(RunningWriter writer)
    {
        var labels = LabelSet.From(("alertname", "Watchdog"), ("severity", "none"));
        return writer.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
            [new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, T0, null, "")]));
    }

    protected static Task<IngestResult> CheckAsync(RunningWriter writer) => writer.Pipeline.CheckHeartbeatsAsync(CancellationToken.None);

    protected async Task<(long? LastSeenMs, long? MissingMs)> StateAsync()
    {
        await using var connection = Store.Open();
        return await connection.QuerySingleAsync<(long?, long?)>("SELECT last_seen_ms, missing_starts_at_ms FROM heartbeats WHERE name = 'prometheus'");
    }

    protected async Task<List<(string Status, long StartsAtMs, long? EndsAtMs, string Receiver, string GroupKey)>> MissingOccurrencesAsync()
    {
        await using var connection = Store.Open();
        return (await connection.QueryAsync<(string, long, long?, string, string)>(
            "SELECT status, starts_at_ms, ends_at_ms, receiver, group_key FROM alert_occurrences WHERE alertname = 'HeartbeatMissing' ORDER BY id")).AsList();
    }

    private static long Ms(DateTimeOffset t) => UnixMillis.From(t);

    [Fact]
    public async Task RecordHeartbeatsSeen_KeepsTheLatestArrival_WhenTheWatchdogIsReSent()
    {
        var (writer, _) = StartWriter();
        await using (writer)
        {
            await WatchdogAsync(writer);
            Time.Advance(TimeSpan.FromSeconds(30));
            var resend = await WatchdogAsync(writer);
            Time.Advance(TimeSpan.FromSeconds(50)); // 80 s after the first, 50 s after the re-send: well

            var check = await CheckAsync(writer);

            Assert.Equal(1, resend.Duplicates);
            Assert.Equal((Ms(T0.AddSeconds(30)), (long?)null), await StateAsync());
            Assert.Equal(0, check.Alerts);
            Assert.Empty(await MissingOccurrencesAsync());
        }
    }

    [Fact]
    public async Task CheckHeartbeatsAsync_OpensOneHeartbeatMissing_ThenResolvesIt_WhenTheHeartbeatIsBack()
    {
        var (writer, _) = StartWriter();
        await using (writer)
        {
            await WatchdogAsync(writer);
            Time.Advance(TimeSpan.FromSeconds(61));
            var opened = await CheckAsync(writer);
            var again = await CheckAsync(writer);
            var missing = await StateAsync();
            Time.Advance(TimeSpan.FromSeconds(30));
            await WatchdogAsync(writer);
            var resolved = await CheckAsync(writer);

            Assert.Equal((1, 1), (opened.Alerts, opened.Created));
            Assert.Equal(0, again.Alerts);
            Assert.Equal((Ms(T0), Ms(T0.AddSeconds(61))), missing);
            Assert.Equal((1, 1), (resolved.Alerts, resolved.Changed));
            Assert.Equal((Ms(T0.AddSeconds(91)), (long?)null), await StateAsync());
            var occurrence = Assert.Single(await MissingOccurrencesAsync());
            Assert.Equal(("resolved", Ms(T0.AddSeconds(61)), Ms(T0.AddSeconds(91)), "alertrelay", "heartbeat:prometheus"), occurrence);
        }
    }

    [Fact]
    public async Task CheckHeartbeatsAsync_WaitsOneTimeout_WhenTheRelayWasDownLongerThanTheTimeout()
    {
        var (before, _) = StartWriter();
        await using (before)
        {
            await WatchdogAsync(before);
        }

        Time.Advance(TimeSpan.FromMinutes(10)); // the relay is down, and so is the heartbeat's source
        var (after, _) = StartWriter();
        await using (after)
        {
            var atStart = await CheckAsync(after);
            Time.Advance(TimeSpan.FromSeconds(59));
            var withinGrace = await CheckAsync(after);
            Time.Advance(TimeSpan.FromSeconds(1));
            var graceOver = await CheckAsync(after);

            Assert.Equal((0, 0, 1), (atStart.Alerts, withinGrace.Alerts, graceOver.Created));
            Assert.Equal(Ms(T0.AddMinutes(11)), Assert.Single(await MissingOccurrencesAsync()).StartsAtMs);
        }
    }

    [Fact]
    public async Task CheckHeartbeatsAsync_ResolvesHeartbeatMissing_WhenAReloadRemovedTheHeartbeat()
    {
        var (before, _) = StartWriter();
        await using (before)
        {
            Time.Advance(TimeSpan.FromMinutes(2));
            await CheckAsync(before);
        }

        var (after, _) = StartWriter(RelayConfigLoader.LoadFromYaml("route: {receiver: ops}\nreceivers: [{name: ops}]", "alertrelay.yml"));
        await using (after)
        {
            Time.Advance(TimeSpan.FromSeconds(5));
            var result = await CheckAsync(after);

            Assert.Equal((1, 1), (result.Alerts, result.Changed));
            Assert.Equal("resolved", Assert.Single(await MissingOccurrencesAsync()).Status);
            Assert.Equal((long?)null, (await StateAsync()).MissingMs);
        }
    }

    [Fact]
    public async Task CheckHeartbeatsAsync_TakesNoWriteTransaction_WhenNothingIsDue()
    {
        var (writer, store) = StartWriter();
        await using (writer)
        {
            await WatchdogAsync(writer);
            var writes = store.Writes;
            for (var i = 0; i < 5; i++)
            {
                Time.Advance(TimeSpan.FromSeconds(5));
                await CheckAsync(writer);
            }

            Assert.Equal(writes, store.Writes);
            Assert.True(store.Reads >= 5);
        }
    }
}

public sealed class HeartbeatStoreOnSqlite : HeartbeatStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class HeartbeatStoreOnPostgres : HeartbeatStoreContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();

    [Fact]
    public async Task CheckHeartbeatsAsync_OpensOneOccurrence_WhenTwoReplicasCheckAtOnce()
    {
        var (a, _) = StartWriter();
        var (b, _) = StartWriter();
        await using (a)
        await using (b)
        {
            await WatchdogAsync(a);
            Time.Advance(TimeSpan.FromMinutes(2));

            var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => CheckAsync(i % 2 == 0 ? a : b)));

            Assert.Equal(1, results.Sum(r => r.Created));
            Assert.Single(await MissingOccurrencesAsync());
        }
    }
}

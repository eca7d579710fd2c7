using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Ingest;

/// <summary>
/// Two AlertRelay replicas (two ingest writers, each with its own connection and in-memory state) on one PostgreSQL database behave
/// as one relay: the database decides identity, and each writer sees what the other committed before it plans.
/// </summary>
public sealed class PostgresReplicaIngestTests : IAsyncLifetime
{
    private static readonly RelayConfig Config = OncallConfig.Load();

    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0.AddMinutes(1));
    private PostgresTestStore _store = null!;
    private RunningWriter _a = null!;
    private RunningWriter _b = null!;

    public async Task InitializeAsync()
    {
        _store = await PostgresTestStore.CreatePostgresAsync();
        _a = new RunningWriter(_store.CreateWriter(_time, config: Config));
        _b = new RunningWriter(_store.CreateWriter(_time, config: Config));
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task TheSameAlertPostedToBothReplicasAtOnce_IsOneOccurrenceWithOneNotification()
    {
        const int alerts = 40;
        for (var i = 0; i < alerts; i++)
        {
            var message = Message(Firing($"disk-{i}"));
            var results = await Task.WhenAll(_a.SubmitAsync(message), _b.SubmitAsync(message));

            Assert.Equal(1, results.Sum(r => r.Created)); // one replica stored it, the other found it stored
        }

        Assert.Equal(alerts, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(alerts, await ScalarAsync("SELECT count(*) FROM alert_events WHERE kind = 'received'"));
        Assert.Equal(alerts, await ScalarAsync("SELECT count(*) FROM notifications WHERE kind = 'firing'"));
    }

    [Fact]
    public async Task AResolveStoredByOneReplica_IsKnownToTheOther_WhenAStaleFiringCopyReachesIt()
    {
        var firing = Firing("db-1");
        await _a.SubmitAsync(Message(firing));
        _time.Advance(TimeSpan.FromMinutes(5));
        await _b.SubmitAsync(Message(firing with { Status = AlertStatus.Resolved, EndsAt = _time.GetUtcNow() }));
        _time.Advance(TimeSpan.FromSeconds(15));

        // The second Alertmanager's snapshot from before the resolve: replica A last saw the alert firing, the store says resolved.
        await _a.SubmitAsync(Message(firing));

        Assert.Equal("resolved", await TextAsync("SELECT status FROM alert_occurrences"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM alert_occurrences WHERE reopen_due_ms IS NOT NULL"));
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM alert_events WHERE kind = '{EventKinds.ReopenPending}'"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM notifications WHERE kind = 'firing'"));
    }

    [Fact]
    public async Task ARefireStoredByOneReplica_IsADuplicateOnTheOther()
    {
        var first = Firing("api-1");
        await _a.SubmitAsync(Message(first));
        await _a.SubmitAsync(Message(first with { Status = AlertStatus.Resolved, EndsAt = T0.AddMinutes(2) }));
        _time.Advance(TimeSpan.FromMinutes(10));
        var second = first with { StartsAt = T0.AddMinutes(10) };
        await _b.SubmitAsync(Message(second));

        var again = await _a.SubmitAsync(Message(second));

        Assert.Equal(new IngestResult(1, 0, 0, 1), again);
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM alert_occurrences"));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM notifications WHERE kind = 'firing'"));
    }

    [Fact]
    public async Task AConfirmationTickWithNothingDue_TakesNoTurnOnTheIngestClock()
    {
        await _a.SubmitAsync(Message(Firing("idle-1")));
        var before = await ScalarAsync("SELECT seq FROM ingest_clock");

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(new IngestResult(0, 0, 0, 0), await _a.Pipeline.ConfirmDueReopensAsync(default));
            await _b.Pipeline.ConfirmDueReopensAsync(default);
        }

        Assert.Equal(before, await ScalarAsync("SELECT seq FROM ingest_clock"));
    }

    private static Alert Firing(string instance)
    {
        var labels = LabelSet.From(("alertname", "DiskFull"), ("instance", instance), ("severity", "warning"));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.From(("summary", "disk")), T0, null, "");
    }

    private static WebhookMessage Message(Alert alert) =>
        new("oncall", alert.Status, "{}:{}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://am:9093", [alert]);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = _store.Open();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private async Task<string?> TextAsync(string sql)
    {
        await using var connection = _store.Open();
        return await connection.ExecuteScalarAsync<string>(sql);
    }
}

using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Routing;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Notify;

/// <summary>What the outbox dispatcher records on its own meter: deliveries, failed attempts by reason, latency and the outbox gauges.</summary>
public abstract class NotifyMetricsContract : StoreContract, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private static readonly RelayConfig Config = new(
        new Route("oncall", [], false, []),
        [new ReceiverConfig("oncall", [new SlackConfig { Channel = "#oncall", ApiUrl = "http://127.0.0.1:1/hook" }], [], [])],
        [],
        [],
        null);

    public void Dispose() => _services.Dispose();

    private static Alert Firing(string alertname)
    {
        var labels = LabelSet.From(("alertname", alertname), ("severity", "critical"));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, LabelSet.Empty, T0, null, "");
    }

    [Fact]
    public async Task Dispatcher_RecordsRetryThenDelivery_WithLatency_AndTheOutboxGauges()
    {
        await using (var running = new RunningWriter(Store.CreateWriter(_time, config: Config)))
        {
            await running.SubmitAsync(new WebhookMessage("relay", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Firing("ApiDown"), Firing("DiskFull")]));
        }

        var metrics = new NotifyMetrics(_services.GetRequiredService<IMeterFactory>());
        using var sent = new MetricCollector<long>(metrics.Sent);
        using var failed = new MetricCollector<long>(metrics.Failed);
        using var latency = new MetricCollector<double>(metrics.Latency);
        using var pending = new MetricCollector<double>(metrics.Pending.Instrument);
        var slack = new RecordingNotifier(Integrations.Slack).Then(NotifyResult.RetryLater("HTTP 503"), NotifyResult.Permanent("channel_not_found"));
        var dispatcher = TestDispatcher.Create(
            Store.Outbox, Config, _time, new NotifyOptions { InitialBackoffSeconds = 1, MaxBackoffSeconds = 1, PollIntervalMilliseconds = 10 }, Store.Signal, metrics, slack);

        _time.Advance(TimeSpan.FromSeconds(3));
        await dispatcher.TurnAsync(); // one retries, the other is dead
        await RefreshGaugesAsync(dispatcher);
        pending.RecordObservableInstruments();
        Assert.Equal(1, pending.LastMeasurement?.Value);
        Assert.Equal(1, metrics.Dead.Value);
        Assert.Equal(3.01, metrics.OldestPendingAge.Value, precision: 3);

        _time.Advance(TimeSpan.FromSeconds(2) - TimeSpan.FromMilliseconds(10));
        await dispatcher.TurnAsync(); // the retry is delivered
        await RefreshGaugesAsync(dispatcher);
        pending.RecordObservableInstruments();
        Assert.Equal(0, pending.LastMeasurement?.Value);
        Assert.Equal(0, metrics.OldestPendingAge.Value);

        var delivered = Assert.Single(sent.GetMeasurementSnapshot());
        Assert.Equal(1, delivered.Value);
        Assert.Equal(new Dictionary<string, object?> { ["integration"] = "slack", ["receiver"] = "oncall" }, delivered.Tags);
        Assert.Equal(["dead", "retry"], failed.GetMeasurementSnapshot().Select(m => (string)m.Tags["reason"]!).Order());
        Assert.All(failed.GetMeasurementSnapshot(), m => Assert.Equal(["integration", "reason", "receiver"], m.Tags.Keys.Order()));
        var took = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.Equal(5, took.Value);
        Assert.Equal(new Dictionary<string, object?> { ["integration"] = "slack" }, took.Tags);
    }

    /// <summary>The gauges are read at the start of a turn once due: one more turn, a poll interval later, shows the outcomes just recorded.</summary>
    private async Task RefreshGaugesAsync(OutboxDispatcher dispatcher)
    {
        _time.Advance(TimeSpan.FromMilliseconds(10));
        await dispatcher.TurnAsync();
    }
}

public sealed class NotifyMetricsOnSqlite : NotifyMetricsContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class NotifyMetricsOnPostgres : NotifyMetricsContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

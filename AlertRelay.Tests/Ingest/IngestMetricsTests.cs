using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.Metrics;

namespace AlertRelay.Tests.Ingest;

/// <summary>What the ingest writer records on its own meter: exact counts, since no other test shares them.</summary>
public abstract class IngestMetricsContract : StoreContract, IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 23, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Counters_CountAlertsOccurrencesDuplicatesAndEvents_OfThisPipelineOnly()
    {
        var metrics = new IngestMetrics(Meters);
        using var received = new MetricCollector<long>(metrics.AlertsReceived);
        using var duplicates = new MetricCollector<long>(metrics.AlertsDuplicate);
        using var stored = new MetricCollector<long>(metrics.OccurrencesCreated);
        using var events = new MetricCollector<long>(metrics.Events);
        using var commits = new MetricCollector<double>(metrics.CommitRequests);
        using var durations = new MetricCollector<double>(metrics.CommitDuration);
        using var failures = new MetricCollector<long>(metrics.CommitFailures);
        var pipeline = Store.CreateWriter(_time, metrics: metrics);

        await using (var running = new RunningWriter(pipeline))
        {
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
        }

        Assert.Equal(2, received.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, duplicates.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, stored.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Empty(failures.GetMeasurementSnapshot());
        Assert.Equal(1, events.GetMeasurementSnapshot().ContainsTags(new KeyValuePair<string, object?>("kind", EventKinds.Received)).EvaluateAsCounter());
        Assert.All(events.GetMeasurementSnapshot(), m => Assert.Equal(new[] { "kind" }, m.Tags.Keys));
        Assert.Equal([1.0, 1.0], commits.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal(2, durations.GetMeasurementSnapshot().Count);
    }
}

public sealed class IngestMetricsOnSqlite : IngestMetricsContract
{
    protected override Task<TestStore> CreateStoreAsync() => SqliteTestStore.CreateAsync();
}

public sealed class IngestMetricsOnPostgres : IngestMetricsContract
{
    protected override Task<TestStore> CreateStoreAsync() => PostgresTestStore.CreateAsync();
}

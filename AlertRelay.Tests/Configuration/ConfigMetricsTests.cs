using System.Diagnostics.Metrics;
using AlertRelay.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Configuration;

/// <summary>What configuration reloads record: the outcome counter and the two gauges, on the provider's own meter.</summary>
public sealed class ConfigMetricsTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(T0);
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly string _path = RepositoryFiles.WriteTemp("route:\n  receiver: ops\nreceivers:\n  - name: ops\n");

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public void Reload_CountsEachOutcome_AndTheGaugesFollowTheLastAttempt()
    {
        var metrics = new ConfigMetrics(_services.GetRequiredService<IMeterFactory>());
        using var reloads = new MetricCollector<long>(metrics.Reloads);
        using var successful = new MetricCollector<double>(metrics.LastReloadSuccessful.Instrument);
        using var timestamp = new MetricCollector<double>(metrics.LastReloadSuccessTimestamp.Instrument);
        var provider = RelayConfigProvider.Load(_path, _time, NullLogger.Instance, metrics);

        successful.RecordObservableInstruments();
        timestamp.RecordObservableInstruments();
        Assert.Equal(1, successful.LastMeasurement?.Value);
        Assert.Equal(T0.ToUnixTimeSeconds(), timestamp.LastMeasurement?.Value);

        File.WriteAllText(_path, "route: [");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.NotEmpty(provider.Reload());
        successful.RecordObservableInstruments();
        Assert.Equal(0, successful.LastMeasurement?.Value);

        File.WriteAllText(_path, "route:\n  receiver: ops\nreceivers:\n  - name: ops\n");
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(provider.Reload());
        successful.RecordObservableInstruments();
        timestamp.RecordObservableInstruments();
        Assert.Equal(1, successful.LastMeasurement?.Value);
        Assert.Equal(T0.AddMinutes(2).ToUnixTimeSeconds(), timestamp.LastMeasurement?.Value);

        Assert.Equal(["failure", "success"], reloads.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
        Assert.All(reloads.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
    }
}

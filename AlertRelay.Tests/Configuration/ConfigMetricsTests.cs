using System.Diagnostics.Metrics;
using AlertRelay.Core.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
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

    [Fact]
    public void Warnings_AreLoggedAndCounted_AtStartAndReload_WithTheIgnoredBlocksByKind()
    {
        File.WriteAllText(_path, "route:\n  receiver: ops\nreceivers:\n  - name: ops\n    opsgenie_configs:\n      - api_key: k\n      - api_key: k2\n"
            + "    sns_configs:\n      - topic_arn: t\n");
        var metrics = new ConfigMetrics(_services.GetRequiredService<IMeterFactory>());
        using var warnings = new MetricCollector<double>(metrics.Warnings.Instrument);
        using var ignored = new MetricCollector<double>(metrics.IgnoredIntegrations);
        var logger = new FakeLogger();

        var provider = RelayConfigProvider.Load(_path, _time, logger, metrics, new ConfigOptions { IgnoreUnsupportedReceivers = true });

        warnings.RecordObservableInstruments();
        ignored.RecordObservableInstruments();
        Assert.Equal(4, warnings.LastMeasurement?.Value); // three blocks, and "notifies nobody"
        var byKind = ignored.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["integration"]!, m => m.Value);
        Assert.Equal(AlertmanagerFields.UnsupportedIntegrations.Order(), byKind.Keys.Order());
        Assert.Equal((2, 1, 0), (byKind["opsgenie_configs"], byKind["sns_configs"], byKind["telegram_configs"]));
        var logged = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning).Select(r => r.Message).ToArray();
        Assert.Equal(4, logged.Length);
        Assert.Contains(logged, m => m.StartsWith($"Configuration {_path}:6: receivers[0].opsgenie_configs[0]: unsupported receiver kind", StringComparison.Ordinal));

        // The reload reads with the same options; the gauges follow the configuration in force.
        File.WriteAllText(_path, "route:\n  receiver: ops\nreceivers:\n  - name: ops\n    opsgenie_configs:\n      - api_key: k\n");
        Assert.Empty(provider.Reload());
        warnings.RecordObservableInstruments();
        ignored.RecordObservableInstruments();
        Assert.Equal(2, warnings.LastMeasurement?.Value);
        Assert.Equal(1, ignored.GetMeasurementSnapshot().Last(m => (string)m.Tags["integration"]! == "opsgenie_configs").Value);
        Assert.Equal(0, ignored.GetMeasurementSnapshot().Last(m => (string)m.Tags["integration"]! == "sns_configs").Value);
        Assert.Equal(6, logger.Collector.GetSnapshot().Count(r => r.Level == LogLevel.Warning));
    }
}

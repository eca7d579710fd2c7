using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Ingest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AlertRelay.Tests.Alerts;

/// <summary>
/// Metrics are per meter: each host (each <see cref="IMeterFactory"/>) has its own AlertRelay meter, so two hosts, or two tests,
/// never add to each other's counters, and a test reads exactly what its own component recorded.
/// </summary>
public sealed class AlertRelayMeterTests : IDisposable
{
    private readonly ServiceProvider _hostA = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceProvider _hostB = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose()
    {
        _hostA.Dispose();
        _hostB.Dispose();
    }

    private IMeterFactory FactoryA => _hostA.GetRequiredService<IMeterFactory>();

    private IMeterFactory FactoryB => _hostB.GetRequiredService<IMeterFactory>();

    [Fact]
    public void Counter_CountsOnlyItsOwnHost_WhenTwoHostsRecordTheSameMetric()
    {
        var a = new IngestMetrics(FactoryA);
        var b = new IngestMetrics(FactoryB);
        using var collectorA = new MetricCollector<long>(FactoryA, AlertRelayMeter.Name, "alertrelay_alerts_received_total");
        using var collectorB = new MetricCollector<long>(FactoryB, AlertRelayMeter.Name, "alertrelay_alerts_received_total");

        a.AlertsReceived.Add(2);
        b.AlertsReceived.Add(5);
        b.AlertsReceived.Add(1);

        Assert.Equal([2L], collectorA.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Equal([5L, 1L], collectorB.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public void Meter_IsTheHosts_AndTheSameForEveryMetricsClassOfThatHost()
    {
        var meter = AlertRelayMeter.From(FactoryA);

        Assert.Same(meter, AlertRelayMeter.From(FactoryA));
        Assert.NotSame(meter, AlertRelayMeter.From(FactoryB));
        Assert.Same(FactoryA, meter.Scope);
        Assert.Equal(AlertRelayMeter.Name, meter.Name);
    }

    [Fact]
    public void Unexported_IsAMeterOfItsOwn_ThatNoHostListensTo()
    {
        using var collector = new MetricCollector<long>(FactoryA, AlertRelayMeter.Name, "alertrelay_alerts_received_total");
        using var meter = AlertRelayMeter.Unexported();

        new IngestMetrics(meter).AlertsReceived.Add(1);

        Assert.Null(meter.Scope);
        Assert.Empty(collector.GetMeasurementSnapshot());
    }

    [Fact]
    public void GaugeValue_ReportsTheValueSetBefore_WhenTheListenerStartsLater()
    {
        var gauge = new GaugeValue(AlertRelayMeter.From(FactoryA), "alertrelay_test_gauge", "A gauge.");
        gauge.Set(42);

        using var collector = new MetricCollector<double>(gauge.Instrument);
        collector.RecordObservableInstruments();

        Assert.Equal(42, collector.LastMeasurement?.Value);
        gauge.Set(0);
        collector.RecordObservableInstruments();
        Assert.Equal(0, collector.LastMeasurement?.Value);
    }
}

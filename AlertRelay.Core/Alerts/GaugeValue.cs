using System.Diagnostics.Metrics;

namespace AlertRelay.Core.Alerts;

/// <summary>
/// A value that an <see cref="ObservableGauge{T}"/> reports whenever it is observed (a scrape, a test): set it when it
/// changes. The value is state, so a listener that starts late still sees it.
/// </summary>
public sealed class GaugeValue
{
    private double _value;

    public GaugeValue(Meter meter, string name, string description) =>
        Instrument = meter.CreateObservableGauge(name, () => Value, description: description);

    /// <summary>The gauge, for listeners.</summary>
    public ObservableGauge<double> Instrument { get; }

    /// <summary>What the gauge reports now.</summary>
    public double Value => Volatile.Read(ref _value);

    public void Set(double value) => Volatile.Write(ref _value, value);
}

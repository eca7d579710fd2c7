using System.Diagnostics.Metrics;
using System.Globalization;
using AlertRelay.Core.Alerts;
using Prometheus;

namespace AlertRelay.Api.Hosting;

/// <summary>
/// Exports one host's <see cref="AlertRelayMeter"/> through prometheus-net (served by <c>MapMetrics</c> at /metrics) under the
/// instruments' own names: a <see cref="MeterListener"/> that feeds one prometheus-net collector per instrument, named as the
/// instrument, with its description as help, the declared label names in their declared order, and the histogram buckets of its
/// advice. Counters stay counters, histograms histograms, gauges gauges; series never expire.
/// </summary>
/// <remarks>
/// prometheus-net's own MeterAdapter does not fit: it prefixes the meter's name, exports every counter as a gauge, adds the
/// unit to the help and drops a series idle for five minutes (an idle counter vanishes, and with it <c>increase()</c>).
/// Only instruments of this host's meter are listened to (the meter's scope is the host's <see cref="IMeterFactory"/>), so a
/// second host in the same process does not feed them; both write to the same registry, as the static metrics did.
/// </remarks>
public sealed class PrometheusMeterExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly IMeterFactory _meterFactory;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _labelNames;
    private readonly IMetricFactory _collectors;
    private volatile bool _disposed;

    /// <param name="meterFactory">The host's factory: only its <see cref="AlertRelayMeter"/> is exported.</param>
    /// <param name="labelNames">Label names of the labelled instruments, by instrument name; the others have none.</param>
    /// <param name="registry">Where the collectors go (prometheus-net's default registry in the host).</param>
    public PrometheusMeterExporter(
        IMeterFactory meterFactory, IReadOnlyDictionary<string, IReadOnlyList<string>> labelNames, CollectorRegistry registry)
    {
        _meterFactory = meterFactory;
        _labelNames = labelNames;
        _collectors = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = OnInstrumentPublished;
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Export)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Export)state!).Record(value, tags));

        // Observable gauges report when observed: observe them just before each scrape. The registry cannot forget a
        // callback, so a disposed exporter's does nothing.
        registry.AddBeforeCollectCallback(() =>
        {
            if (!_disposed)
            {
                _listener.RecordObservableInstruments();
            }
        });
        _listener.Start();
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (instrument.Meter.Name != AlertRelayMeter.Name || !ReferenceEquals(instrument.Meter.Scope, _meterFactory))
        {
            return;
        }

        var labels = _labelNames.TryGetValue(instrument.Name, out var names) ? names.ToArray() : [];
        var help = instrument.Description ?? "";
        Export export = instrument switch
        {
            Counter<long> or Counter<double> => Counter(_collectors.CreateCounter(instrument.Name, help, labels)),
            Histogram<double> histogram => Histogram(_collectors.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration
            {
                Buckets = histogram.Advice?.HistogramBucketBoundaries?.ToArray()
                    ?? throw new InvalidOperationException($"{instrument.Name}: a histogram needs its buckets as advice (HistogramBucketBoundaries)"),
            })),
            ObservableGauge<long> or ObservableGauge<double> => Gauge(_collectors.CreateGauge(instrument.Name, help, labels)),
            _ => throw new NotSupportedException($"{instrument.Name}: {instrument.GetType().Name} is not exported to Prometheus"),
        };
        listener.EnableMeasurementEvents(instrument, export);
    }

    private static Export Counter(Counter counter) => Export.Of(counter, counter, static (ICounter c, double value) => c.Inc(value));

    private static Export Histogram(Histogram histogram) => Export.Of(histogram, histogram, static (IHistogram h, double value) => h.Observe(value));

    private static Export Gauge(Gauge gauge) => Export.Of(gauge, gauge, static (IGauge g, double value) => g.Set(value));

    /// <summary>One instrument's collector: turns a measurement and its tags into a sample of the declared label values.</summary>
    private sealed class Export(string[] labelNames, Action<string[], double> write)
    {
        /// <summary>Writes to <paramref name="collector"/>'s unlabelled child, or to the child of the measurement's label values.</summary>
        public static Export Of<TChild, TMetric>(Collector<TChild> collector, TMetric unlabelled, Action<TMetric, double> write)
            where TChild : ChildBase, TMetric =>
            new(collector.LabelNames, (values, value) => write(values.Length == 0 ? unlabelled : collector.WithLabels(values), value));

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (labelNames.Length == 0)
            {
                write([], value);
                return;
            }

            // In the declared order, whatever order the tags came in; a missing tag is the empty value, as in Prometheus.
            var values = new string[labelNames.Length];
            for (var i = 0; i < labelNames.Length; i++)
            {
                values[i] = "";
                foreach (var tag in tags)
                {
                    if (tag.Key == labelNames[i])
                    {
                        values[i] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
                        break;
                    }
                }
            }

            write(values, value);
        }
    }
}

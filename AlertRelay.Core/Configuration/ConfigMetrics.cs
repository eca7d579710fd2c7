using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Configuration;

/// <summary>Metrics of configuration reloads, named after Prometheus' and Alertmanager's, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class ConfigMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_config_reloads_total"] = ["outcome"],
    };

    public ConfigMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal ConfigMetrics(Meter meter)
    {
        LastReloadSuccessful = new GaugeValue(meter,
            "alertrelay_config_last_reload_successful", "Whether the last configuration reload attempt was successful (1) or not (0).");
        LastReloadSuccessTimestamp = new GaugeValue(meter,
            "alertrelay_config_last_reload_success_timestamp_seconds", "Timestamp of the last successful configuration reload.");
        Reloads = meter.CreateCounter<long>(
            "alertrelay_config_reloads_total", description: "Configuration reload attempts, by outcome.");
    }

    public GaugeValue LastReloadSuccessful { get; }

    public GaugeValue LastReloadSuccessTimestamp { get; }

    /// <summary>Tagged <c>outcome</c>.</summary>
    public Counter<long> Reloads { get; }
}

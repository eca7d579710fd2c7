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
        ["alertrelay_config_ignored_integrations"] = ["integration"],
    };

    private volatile IReadOnlyDictionary<string, int> _ignored = new Dictionary<string, int>();

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
        Warnings = new GaugeValue(meter,
            "alertrelay_config_warnings", "Warnings in the configuration in force: fields accepted but not honoured, receiver blocks skipped.");

        // One series per unsupported kind, 0 when none is skipped, so that a query never meets an absent series.
        IgnoredIntegrations = meter.CreateObservableGauge("alertrelay_config_ignored_integrations", () =>
                AlertmanagerFields.UnsupportedIntegrations.Select(kind => new Measurement<double>(
                    _ignored.GetValueOrDefault(kind), new KeyValuePair<string, object?>("integration", kind))),
            description: "Receiver blocks of unsupported kinds skipped in the configuration in force (AlertRelay:Config:IgnoreUnsupportedReceivers), by kind.");
    }

    public GaugeValue LastReloadSuccessful { get; }

    public GaugeValue LastReloadSuccessTimestamp { get; }

    /// <summary>Tagged <c>outcome</c>.</summary>
    public Counter<long> Reloads { get; }

    /// <summary>How many warnings the configuration in force has.</summary>
    public GaugeValue Warnings { get; }

    /// <summary>Tagged <c>integration</c> (e.g. <c>opsgenie_configs</c>): blocks skipped in the configuration in force.</summary>
    public ObservableGauge<double> IgnoredIntegrations { get; }

    /// <summary>Sets the gauges that describe the configuration in force.</summary>
    public void InForce(RelayConfig config)
    {
        Warnings.Set(config.Warnings.Count);
        _ignored = config.IgnoredIntegrations;
    }
}

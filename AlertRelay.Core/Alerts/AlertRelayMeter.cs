using System.Diagnostics.Metrics;

namespace AlertRelay.Core.Alerts;

/// <summary>
/// The meter every AlertRelay metric is recorded on: one per host, from the host's <see cref="IMeterFactory"/>, so two
/// hosts (or two tests) never add to each other's counters. Instruments carry the Prometheus names /metrics exports.
/// </summary>
public static class AlertRelayMeter
{
    /// <summary>The meter's name.</summary>
    public const string Name = "AlertRelay";

    /// <summary>The host's meter: the factory gives every caller the same one.</summary>
    public static Meter From(IMeterFactory meterFactory) => meterFactory.Create(Name);

    /// <summary>A meter of its own that no host exports, for a component built without one (tests, tools).</summary>
    public static Meter Unexported() => new(Name);
}

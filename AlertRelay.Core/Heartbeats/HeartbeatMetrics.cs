using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Heartbeats;

/// <summary>Heartbeat gauges on the host's <see cref="AlertRelayMeter"/>, observed from the <see cref="HeartbeatBoard"/> at each scrape.</summary>
public sealed class HeartbeatMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_heartbeat_seconds_since_seen"] = ["heartbeat"],
        ["alertrelay_heartbeat_missing"] = ["heartbeat"],
    };

    public HeartbeatMetrics(IMeterFactory meterFactory, HeartbeatBoard board, TimeProvider time)
        : this(AlertRelayMeter.From(meterFactory), board, time)
    {
    }

    internal HeartbeatMetrics(Meter meter, HeartbeatBoard board, TimeProvider time)
    {
        // A heartbeat never seen has no seconds_since_seen series (there is no time to count from); heartbeat_missing covers it.
        SecondsSinceSeen = meter.CreateObservableGauge("alertrelay_heartbeat_seconds_since_seen", () =>
            board.Reports.Where(r => r.State.LastSeenMs is not null).Select(r => new Measurement<double>(
                Math.Max(0, (UnixMillis.From(time.GetUtcNow()) - r.State.LastSeenMs!.Value) / 1000.0), Tag(r))),
            description: "Seconds since a firing alert matching the heartbeat last arrived (as of the latest heartbeat pass's reading).");
        Missing = meter.CreateObservableGauge("alertrelay_heartbeat_missing", () =>
            board.Reports.Select(r => new Measurement<double>(r.Decision.Status == HeartbeatStatus.Missing ? 1 : 0, Tag(r))),
            description: "1 while the heartbeat's HeartbeatMissing occurrence is open, else 0.");
    }

    public ObservableGauge<double> SecondsSinceSeen { get; }

    public ObservableGauge<double> Missing { get; }

    private static KeyValuePair<string, object?> Tag(HeartbeatReport report) => new("heartbeat", report.Heartbeat.Name);
}

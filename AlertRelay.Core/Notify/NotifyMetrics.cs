using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Notify;

/// <summary>Metrics of the outbox, named after Alertmanager's, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class NotifyMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_notifications_total"] = ["integration", "receiver"],
        ["alertrelay_notifications_failed_total"] = ["integration", "receiver", "reason"],
        ["alertrelay_notifications_reclaimed_total"] = ["integration"],
        ["alertrelay_notification_latency_seconds"] = ["integration"],
    };

    public NotifyMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal NotifyMetrics(Meter meter)
    {
        Sent = meter.CreateCounter<long>(
            "alertrelay_notifications_total", description: "Notifications delivered, by integration and receiver.");
        Failed = meter.CreateCounter<long>(
            "alertrelay_notifications_failed_total",
            description: "Failed delivery attempts, by integration, receiver and reason (retry: will be tried again; dead: given up).");
        Reclaimed = meter.CreateCounter<long>(
            "alertrelay_notifications_reclaimed_total",
            description: "Notifications claimed again after their lease ran out with no outcome recorded (the process died holding them): those being sent at that moment may reach the receiver twice.");
        Latency = meter.CreateHistogram<double>(
            "alertrelay_notification_latency_seconds", unit: null, description: "Time from queuing a notification to its delivery, by integration.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
        Pending = new GaugeValue(meter,
            "alertrelay_outbox_pending", "Notifications waiting in the outbox (including ones waiting for a retry).");
        OldestPendingAge = new GaugeValue(meter,
            "alertrelay_outbox_oldest_pending_age_seconds", "Age of the oldest notification still waiting in the outbox (0 when empty).");
        Dead = new GaugeValue(meter,
            "alertrelay_outbox_dead", "Notifications given up on (dead letters), waiting for POST /api/notifications/{id}/retry.");
    }

    /// <summary>Tagged <c>integration</c>, <c>receiver</c>.</summary>
    public Counter<long> Sent { get; }

    /// <summary>Tagged <c>integration</c>, <c>receiver</c>, <c>reason</c>.</summary>
    public Counter<long> Failed { get; }

    /// <summary>Tagged <c>integration</c>.</summary>
    public Counter<long> Reclaimed { get; }

    /// <summary>Tagged <c>integration</c>.</summary>
    public Histogram<double> Latency { get; }

    /// <summary>Set after each dispatcher pass.</summary>
    public GaugeValue Pending { get; }

    public GaugeValue OldestPendingAge { get; }

    public GaugeValue Dead { get; }
}

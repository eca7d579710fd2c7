using Prometheus;

namespace AlertRelay.Core.Notify;

/// <summary>Prometheus metrics of the outbox, named after Alertmanager's.</summary>
public static class NotifyMetrics
{
    public static readonly Counter Sent = Metrics.CreateCounter(
        "alertrelay_notifications_total", "Notifications delivered, by integration and receiver.", "integration", "receiver");

    public static readonly Counter Failed = Metrics.CreateCounter(
        "alertrelay_notifications_failed_total",
        "Failed delivery attempts, by integration, receiver and reason (retry: will be tried again; dead: given up).",
        "integration", "receiver", "reason");

    public static readonly Counter Reclaimed = Metrics.CreateCounter(
        "alertrelay_notifications_reclaimed_total",
        "Notifications claimed again after their lease ran out with no outcome recorded (the process died holding them): those being sent at that moment may reach the receiver twice.",
        "integration");

    public static readonly Histogram Latency = Metrics.CreateHistogram(
        "alertrelay_notification_latency_seconds", "Time from queuing a notification to its delivery, by integration.",
        new HistogramConfiguration { LabelNames = ["integration"], Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });

    public static readonly Gauge Pending = Metrics.CreateGauge(
        "alertrelay_outbox_pending", "Notifications waiting in the outbox (including ones waiting for a retry).");

    public static readonly Gauge OldestPendingAge = Metrics.CreateGauge(
        "alertrelay_outbox_oldest_pending_age_seconds", "Age of the oldest notification still waiting in the outbox (0 when empty).");

    public static readonly Gauge Dead = Metrics.CreateGauge(
        "alertrelay_outbox_dead", "Notifications given up on (dead letters), waiting for POST /api/notifications/{id}/retry.");
}

using Prometheus;

namespace AlertRelay.Api.Hosting;

/// <summary>Prometheus metrics of the HTTP side: webhooks received and rejected, and how long they took.</summary>
public static class ApiMetrics
{
    public static readonly Counter WebhooksReceived = Metrics.CreateCounter(
        "alertrelay_webhooks_received_total", "Webhook requests received on POST /webhook, whatever their outcome.");

    public static readonly Counter Rejected = Metrics.CreateCounter(
        "alertrelay_requests_rejected_total",
        "Requests refused, by reason (malformed_json, invalid_payload, too_large, unauthorized, unavailable, invalid_query).",
        "reason");

    public static readonly Counter AlertsTruncated = Metrics.CreateCounter(
        "alertrelay_alerts_truncated_total", "Alerts Alertmanager left out of webhooks (truncatedAlerts, its max_alerts limit).");

    public static readonly Histogram WebhookDuration = Metrics.CreateHistogram(
        "alertrelay_webhook_duration_seconds", "Time from receiving a webhook to answering it (durable commit included).",
        new HistogramConfiguration { LabelNames = ["code"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 16) });
}

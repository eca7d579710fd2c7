using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Api.Hosting;

/// <summary>Metrics of the HTTP side: webhooks received and rejected, and how long they took, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class ApiMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_requests_rejected_total"] = ["reason"],
        ["alertrelay_webhook_duration_seconds"] = ["code"],
    };

    public ApiMetrics(IMeterFactory meterFactory)
    {
        var meter = AlertRelayMeter.From(meterFactory);
        WebhooksReceived = meter.CreateCounter<long>(
            "alertrelay_webhooks_received_total", description: "Webhook requests received on POST /webhook, whatever their outcome.");
        Rejected = meter.CreateCounter<long>(
            "alertrelay_requests_rejected_total",
            description: "Requests refused, by reason (malformed_json, invalid_payload, too_large, incomplete, unauthorized, unavailable, backlog, invalid_query).");
        AlertsTruncated = meter.CreateCounter<long>(
            "alertrelay_alerts_truncated_total", description: "Alerts Alertmanager left out of webhooks (truncatedAlerts, its max_alerts limit).");
        WebhookDuration = meter.CreateHistogram<double>(
            "alertrelay_webhook_duration_seconds", unit: null, description: "Time from receiving a webhook to answering it (durable commit included).",
            tags: null, advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries =
                    [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384],
            });
    }

    public Counter<long> WebhooksReceived { get; }

    /// <summary>Tagged <c>reason</c>.</summary>
    public Counter<long> Rejected { get; }

    public Counter<long> AlertsTruncated { get; }

    /// <summary>Tagged <c>code</c> (the HTTP status answered).</summary>
    public Histogram<double> WebhookDuration { get; }
}

using System.Diagnostics.Metrics;
using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Ingest;

/// <summary>Metrics of the ingest writer, on the host's <see cref="AlertRelayMeter"/>.</summary>
public sealed class IngestMetrics
{
    /// <summary>Label names of the labelled instruments, in the order /metrics writes them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> LabelNames { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["alertrelay_alert_events_total"] = ["kind"],
    };

    public IngestMetrics(IMeterFactory meterFactory)
        : this(AlertRelayMeter.From(meterFactory))
    {
    }

    internal IngestMetrics(Meter meter)
    {
        AlertsReceived = meter.CreateCounter<long>(
            "alertrelay_alerts_received_total", description: "Alerts in webhooks that were committed (duplicates included).");
        AlertsDuplicate = meter.CreateCounter<long>(
            "alertrelay_alerts_duplicate_total", description: "Alerts dropped as duplicates of a stored occurrence (re-sends, HA twins).");
        OccurrencesCreated = meter.CreateCounter<long>(
            "alertrelay_alerts_stored_total", description: "New alert occurrences stored (a new fingerprint and startsAt).");
        Events = meter.CreateCounter<long>(
            "alertrelay_alert_events_total", description: "Timeline events written, by kind.");
        CommitFailures = meter.CreateCounter<long>(
            "alertrelay_ingest_commit_failures_total", description: "Group commits that failed; their webhooks were answered 503.");
        CommitRequests = meter.CreateHistogram<double>(
            "alertrelay_ingest_commit_requests", unit: null, description: "Webhook requests committed together in one transaction.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });
        CommitDuration = meter.CreateHistogram<double>(
            "alertrelay_ingest_commit_duration_seconds", unit: null, description: "Time to apply and commit one group of webhook requests.",
            tags: null, advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096],
            });
        InboxBacklogAlerts = new GaugeValue(meter, "alertrelay_inbox_backlog_alerts",
            "Alerts accepted (answered 2xx, durable in the inbox) and not applied yet; POST /webhook answers 503 past AlertRelay:Ingest:MaxBacklogAlerts.");
        InboxApplyDelay = meter.CreateHistogram<double>(
            "alertrelay_inbox_apply_delay_seconds", unit: null,
            description: "Time from a webhook's 2xx (its append to the inbox) to the commit that applied it (history rows and notifications queued).",
            tags: null, advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
            });
    }

    public GaugeValue InboxBacklogAlerts { get; }

    public Histogram<double> InboxApplyDelay { get; }

    public Counter<long> AlertsReceived { get; }

    public Counter<long> AlertsDuplicate { get; }

    public Counter<long> OccurrencesCreated { get; }

    /// <summary>Tagged <c>kind</c>.</summary>
    public Counter<long> Events { get; }

    public Counter<long> CommitFailures { get; }

    public Histogram<double> CommitRequests { get; }

    public Histogram<double> CommitDuration { get; }
}

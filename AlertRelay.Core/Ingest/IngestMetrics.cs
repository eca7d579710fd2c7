using Prometheus;

namespace AlertRelay.Core.Ingest;

/// <summary>Prometheus metrics of the ingest writer.</summary>
public static class IngestMetrics
{
    public static readonly Counter AlertsReceived = Metrics.CreateCounter(
        "alertrelay_alerts_received_total", "Alerts in webhooks that were committed (duplicates included).");

    public static readonly Counter AlertsDuplicate = Metrics.CreateCounter(
        "alertrelay_alerts_duplicate_total", "Alerts dropped as duplicates of a stored occurrence (re-sends, HA twins).");

    public static readonly Counter OccurrencesCreated = Metrics.CreateCounter(
        "alertrelay_alerts_stored_total", "New alert occurrences stored (a new fingerprint and startsAt).");

    public static readonly Counter Events = Metrics.CreateCounter(
        "alertrelay_alert_events_total", "Timeline events written, by kind.", "kind");

    public static readonly Counter CommitFailures = Metrics.CreateCounter(
        "alertrelay_ingest_commit_failures_total", "Group commits that failed; their webhooks were answered 503.");

    public static readonly Histogram CommitRequests = Metrics.CreateHistogram(
        "alertrelay_ingest_commit_requests", "Webhook requests committed together in one transaction.",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    public static readonly Histogram CommitDuration = Metrics.CreateHistogram(
        "alertrelay_ingest_commit_duration_seconds", "Time to apply and commit one group of webhook requests.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
}

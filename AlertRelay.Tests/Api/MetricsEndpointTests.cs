using System.Text.RegularExpressions;
using AlertRelay.Tests.Configuration;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace AlertRelay.Tests.Api;

/// <summary>
/// GET /metrics of the real host once it has recorded every AlertRelay metric (<see cref="MetricsEndpointFixture"/>): the
/// <c>alertrelay_*</c> families, their types, label names, label values and histogram buckets are exactly those the
/// prometheus-net statics exported before metrics moved to System.Diagnostics.Metrics (<see cref="Expected"/>, captured from
/// the running service then), and every metric and label that the Prometheus rules and their tests, the dashboards, the
/// runbooks and the docs name is among them.
/// </summary>
[Collection(MetricsRegistryCollection.Name)]
public sealed partial class MetricsEndpointTests(MetricsEndpointFixture host) : IClassFixture<MetricsEndpointFixture>
{
    private static readonly string[] CommitSeconds =
        ["0.0005", "0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024", "2.048", "4.096", "+Inf"];

    /// <summary>What /metrics exported before the move (AlertRelay 11128fc, prometheus-net statics): name, type, label names, buckets.</summary>
    private static readonly Family[] Expected =
    [
        new("alertrelay_alert_events_total", "counter", ["kind"]),
        new("alertrelay_alerts_duplicate_total", "counter", []),
        new("alertrelay_alerts_received_total", "counter", []),
        new("alertrelay_alerts_stored_total", "counter", []),
        new("alertrelay_alerts_truncated_total", "counter", []),
        new("alertrelay_config_last_reload_success_timestamp_seconds", "gauge", []),
        new("alertrelay_config_last_reload_successful", "gauge", []),
        new("alertrelay_config_reloads_total", "counter", ["outcome"]),
        new("alertrelay_config_warnings", "gauge", []), // configuration warnings (issue 15)
        new("alertrelay_config_ignored_integrations", "gauge", ["integration"]),
        new("alertrelay_escalation_steps_total", "counter", ["policy"]),
        new("alertrelay_reminders_total", "counter", ["policy"]), // added with reminders (issue 13), after the move
        new("alertrelay_heartbeat_missing", "gauge", ["heartbeat"]), // heartbeats (issue 14)
        new("alertrelay_heartbeat_seconds_since_seen", "gauge", ["heartbeat"]),
        new("alertrelay_history_oldest_kept_timestamp_seconds", "gauge", []),
        new("alertrelay_history_rows_deleted_total", "counter", ["table"]),
        new("alertrelay_ingest_commit_duration_seconds", "histogram", [], CommitSeconds),
        new("alertrelay_ingest_commit_failures_total", "counter", []),
        new("alertrelay_ingest_commit_requests", "histogram", [], ["1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "+Inf"]),
        new("alertrelay_inbox_apply_delay_seconds", "histogram", [], // since the inbox (issue 16)
            ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "300", "+Inf"]),
        new("alertrelay_inbox_backlog_alerts", "gauge", []),
        new("alertrelay_link_verification_failures_total", "counter", ["reason"]), // since the on-call loop (issue 13)
        new("alertrelay_notification_latency_seconds", "histogram", ["integration"],
            ["0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "300", "900", "+Inf"]),
        new("alertrelay_notifications_failed_total", "counter", ["integration", "receiver", "reason"]),
        new("alertrelay_notifications_reclaimed_total", "counter", ["integration"]),
        new("alertrelay_notifications_total", "counter", ["integration", "receiver"]),
        new("alertrelay_outbox_dead", "gauge", []),
        new("alertrelay_outbox_oldest_pending_age_seconds", "gauge", []),
        new("alertrelay_outbox_pending", "gauge", []),
        new("alertrelay_requests_rejected_total", "counter", ["reason"]),
        new("alertrelay_slack_verification_failures_total", "counter", ["reason"]),
        new("alertrelay_webhook_duration_seconds", "histogram", ["code"], [.. CommitSeconds.SkipLast(1), "8.192", "16.384", "+Inf"]),
        new("alertrelay_webhooks_received_total", "counter", []),
    ];

    /// <summary>Where AlertRelay's metrics are named in PromQL or prose, relative to the repository root.</summary>
    private static readonly string[] Consumers = ["monitoring", "docs", "README.md"];

    /// <summary>Labels Prometheus adds to every scraped series, and the bucket label.</summary>
    private static readonly string[] NotExported = ["job", "instance", "le"];

    private MetricsScrape Scrape => host.Scrape;

    [Fact]
    public void Families_AreExactlyTheOnesExportedBefore_WithTheirTypes()
    {
        Assert.Equal(
            Expected.Select(f => $"{f.Name} {f.Type}").Order(StringComparer.Ordinal),
            Scrape.Types.Where(t => t.Key.StartsWith("alertrelay_", StringComparison.Ordinal)).Select(t => $"{t.Key} {t.Value}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EveryFamily_HasSeries_WithTheLabelNamesExportedBefore_InTheSameOrder()
    {
        Assert.All(Expected, family =>
        {
            var series = Scrape.SeriesOf(family.Name);
            Assert.True(series.Count > 0, $"{family.Name}: no series");
            Assert.All(series, labels => Assert.Equal(family.Labels, labels.Keys.Where(k => k != "le")));
            Assert.All(series, labels => Assert.All(labels.Values, value => Assert.NotEqual("", value)));
        });
    }

    [Fact]
    public void Histograms_HaveTheBucketsExportedBefore()
    {
        Assert.All(Expected.Where(f => f.Type == "histogram"), family =>
        {
            var first = Scrape.SeriesOf(family.Name).First(labels => labels.ContainsKey("le"));
            var sameSeries = Scrape.SeriesOf(family.Name)
                .Where(labels => labels.ContainsKey("le") && labels.Where(l => l.Key != "le").SequenceEqual(first.Where(l => l.Key != "le")));
            Assert.Equal(family.Buckets, sameSeries.Select(labels => labels["le"]));
        });
    }

    [Theory]
    [InlineData("alertrelay_alert_events_total", "kind", "received")]
    [InlineData("alertrelay_alert_events_total", "kind", "routed")]
    [InlineData("alertrelay_alert_events_total", "kind", "resolved")]
    [InlineData("alertrelay_config_reloads_total", "outcome", "success")]
    [InlineData("alertrelay_config_reloads_total", "outcome", "failure")]
    [InlineData("alertrelay_history_rows_deleted_total", "table", "alert_occurrences")]
    [InlineData("alertrelay_history_rows_deleted_total", "table", "notifications")]
    [InlineData("alertrelay_notifications_total", "receiver", "oncall")]
    [InlineData("alertrelay_notifications_failed_total", "integration", "email")]
    [InlineData("alertrelay_notification_latency_seconds_count", "integration", "slack")]
    [InlineData("alertrelay_link_verification_failures_total", "reason", "tampered")]
    [InlineData("alertrelay_requests_rejected_total", "reason", "malformed_json")]
    [InlineData("alertrelay_requests_rejected_total", "reason", "invalid_payload")]
    [InlineData("alertrelay_requests_rejected_total", "reason", "too_large")]
    [InlineData("alertrelay_requests_rejected_total", "reason", "unauthorized")]
    [InlineData("alertrelay_requests_rejected_total", "reason", "invalid_query")]
    [InlineData("alertrelay_slack_verification_failures_total", "reason", "missing")]
    [InlineData("alertrelay_webhook_duration_seconds_count", "code", "200")]
    [InlineData("alertrelay_webhook_duration_seconds_count", "code", "400")]
    [InlineData("alertrelay_webhook_duration_seconds_count", "code", "413")]
    public void LabelValues_AreTheOnesExportedBefore(string sample, string label, string value) =>
        Assert.True(Scrape.Has(sample, label, value), $"no {sample}{{{label}=\"{value}\"}}");

    [Fact]
    public void Counters_OfThisHostsMeter_CountExactlyWhatThisHostDid()
    {
        // /metrics adds up every host of the process (one registry, as the statics were); the host's meter is its own.
        long Sum(string name) => host.Counters[name].GetMeasurementSnapshot().EvaluateAsCounter();

        Assert.Equal(4, Sum("alertrelay_alerts_stored_total")); // one, a group of two, one escalating; the resolve changes one
        Assert.Equal(1, Sum("alertrelay_alerts_duplicate_total"));
        Assert.Equal(3, Sum("alertrelay_alerts_truncated_total"));
        Assert.Equal(8, Sum("alertrelay_webhooks_received_total")); // a 401 is refused before the webhook handler
        Assert.Empty(host.Counters["alertrelay_ingest_commit_failures_total"].GetMeasurementSnapshot());
    }

    [Fact]
    public void EveryMetricAndLabel_TheRepositoryNames_IsExported()
    {
        var families = Expected.ToDictionary(f => f.Name);
        var uses = Consumers
            .SelectMany(path => Directory.Exists(Path.Combine(RepositoryFiles.Root, path))
                ? Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, path), "*", SearchOption.AllDirectories)
                : [Path.Combine(RepositoryFiles.Root, path)])
            .Where(file => Path.GetExtension(file) is ".yml" or ".yaml" or ".json" or ".md")
            .SelectMany(file => MetricUse().Matches(File.ReadAllText(file)).Select(match => (File: Path.GetRelativePath(RepositoryFiles.Root, file), Match: match)))
            .ToList();

        Assert.NotEmpty(uses);
        Assert.Contains(uses, use => use.File.StartsWith("monitoring", StringComparison.Ordinal));
        Assert.All(uses, use =>
        {
            var name = HistogramSample().Replace(use.Match.Groups["name"].Value, "");
            Assert.True(families.TryGetValue(name, out var family), $"{use.File}: {use.Match.Value} is not exported");
            var labels = use.Match.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(matcher => LabelName().Match(matcher).Value.Trim())
                .Where(label => label.Length > 0 && !NotExported.Contains(label));
            Assert.All(labels, label => Assert.True(family!.Labels.Contains(label), $"{use.File}: {use.Match.Value}: {name} has no label {label}"));
        });
    }

    [GeneratedRegex(@"(?<name>alertrelay_[a-z_]*[a-z])(?![a-z_]*\.yml)(\{(?<labels>[^}]*)\})?")] // not a file name such as alertrelay_test.yml
    private static partial Regex MetricUse();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSample();

    [GeneratedRegex(@"^\s*[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();

    /// <summary>One exported metric family.</summary>
    private sealed record Family(string Name, string Type, string[] Labels, string[]? Buckets = null);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using AlertRelay.Api.Hosting;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace AlertRelay.Tests.Api;

/// <summary>
/// <see cref="PrometheusMeterExporter"/> on a registry of its own: what each kind of instrument becomes in the Prometheus text
/// format (name, help, type, label names in their declared order, buckets), and that it exports its host's meter only.
/// </summary>
public sealed class PrometheusMeterExporterTests : IDisposable
{
    private readonly ServiceProvider _host = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceProvider _otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PrometheusMeterExporter _exporter;

    public PrometheusMeterExporterTests() =>
        _exporter = new PrometheusMeterExporter(Meters, AlertRelayServices.MetricLabelNames, _registry);

    public void Dispose()
    {
        _exporter.Dispose();
        _host.Dispose();
        _otherHost.Dispose();
    }

    private IMeterFactory Meters => _host.GetRequiredService<IMeterFactory>();

    private async Task<string[]> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
    }

    [Fact]
    public async Task Counter_IsACounter_WithItsDescriptionAsHelp_AndLabelsInTheDeclaredOrder()
    {
        var notify = new NotifyMetrics(Meters);

        // Tags in another order than the labels: the exporter puts them in the declared order.
        notify.Failed.Add(1, new TagList { { "reason", "retry" }, { "receiver", "oncall" }, { "integration", "slack" } });
        notify.Failed.Add(2, new TagList { { "integration", "slack" }, { "receiver", "oncall" }, { "reason", "retry" } });

        var lines = await ScrapeAsync();
        Assert.Contains("# HELP alertrelay_notifications_failed_total Failed delivery attempts, by integration, receiver and reason (retry: will be tried again; dead: given up).", lines);
        Assert.Contains("# TYPE alertrelay_notifications_failed_total counter", lines);
        Assert.Contains("alertrelay_notifications_failed_total{integration=\"slack\",receiver=\"oncall\",reason=\"retry\"} 3", lines);
    }

    [Fact]
    public async Task Families_AreListedFromTheStart_UnlabelledCountersAtZero_LabelledOnesWithoutSeries()
    {
        _ = new IngestMetrics(Meters);
        _ = new NotifyMetrics(Meters);

        var lines = await ScrapeAsync();
        Assert.Contains("# TYPE alertrelay_ingest_commit_failures_total counter", lines);
        Assert.Contains("alertrelay_ingest_commit_failures_total 0", lines);
        Assert.Contains("# TYPE alertrelay_notifications_reclaimed_total counter", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("alertrelay_notifications_reclaimed_total", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Histogram_IsAHistogram_WithTheBucketsOfItsAdvice()
    {
        var ingest = new IngestMetrics(Meters);

        ingest.CommitRequests.Record(3);
        ingest.CommitDuration.Record(0.003);

        var lines = await ScrapeAsync();
        Assert.Contains("# TYPE alertrelay_ingest_commit_requests histogram", lines);
        Assert.Equal(
            ["1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "+Inf"],
            Buckets(lines, "alertrelay_ingest_commit_requests"));
        Assert.Contains("alertrelay_ingest_commit_requests_bucket{le=\"2\"} 0", lines);
        Assert.Contains("alertrelay_ingest_commit_requests_bucket{le=\"4\"} 1", lines);
        Assert.Contains("alertrelay_ingest_commit_requests_sum 3", lines);
        Assert.Contains("alertrelay_ingest_commit_requests_count 1", lines);
        Assert.Equal(
            ["0.0005", "0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128", "0.256", "0.512", "1.024", "2.048", "4.096", "+Inf"],
            Buckets(lines, "alertrelay_ingest_commit_duration_seconds"));
    }

    [Fact]
    public async Task ObservedGauge_IsAGauge_ReportingTheValueAtScrapeTime()
    {
        var notify = new NotifyMetrics(Meters);
        var config = new ConfigMetrics(Meters);

        notify.Pending.Set(3);
        config.LastReloadSuccessful.Set(1);
        var first = await ScrapeAsync();
        notify.Pending.Set(0);
        var second = await ScrapeAsync();

        Assert.Contains("# TYPE alertrelay_outbox_pending gauge", first);
        Assert.Contains("alertrelay_outbox_pending 3", first);
        Assert.Contains("alertrelay_config_last_reload_successful 1", first);
        Assert.Contains("alertrelay_outbox_pending 0", second);
    }

    [Fact]
    public async Task AnotherHostsMeter_IsNotExported()
    {
        var mine = new IngestMetrics(Meters);
        var theirs = new IngestMetrics(_otherHost.GetRequiredService<IMeterFactory>());

        theirs.AlertsReceived.Add(5);
        mine.AlertsReceived.Add(1);

        Assert.Contains("alertrelay_alerts_received_total 1", await ScrapeAsync());
    }

    [Fact]
    public async Task Measurements_AreNoLongerExported_OnceTheExporterIsDisposed()
    {
        var ingest = new IngestMetrics(Meters);
        ingest.AlertsReceived.Add(1);

        _exporter.Dispose();
        ingest.AlertsReceived.Add(1);

        Assert.Contains("alertrelay_alerts_received_total 1", await ScrapeAsync());
    }

    private static string[] Buckets(string[] lines, string histogram) =>
        lines.Where(l => l.StartsWith(histogram + "_bucket{", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.IndexOf("\"}", StringComparison.Ordinal)])
            .ToArray();
}

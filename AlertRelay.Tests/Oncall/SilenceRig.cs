using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Oncall;

/// <summary>
/// A silencer and a watcher on a real SQLite history with a firing and a resolved occurrence, talking to loopback Alertmanager
/// stubs on a fake clock shared with them. The URLs are a dead loopback port first (nothing listens: connection refused), then
/// the stub, unless told otherwise.
/// </summary>
public sealed class SilenceRig : IAsyncDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    private SilenceRig(SqliteTestStore store, AlertmanagerStub alertmanager, FakeTimeProvider time) =>
        (Store, Alertmanager, Time) = (store, alertmanager, time);

    public SqliteTestStore Store { get; }

    public AlertmanagerStub Alertmanager { get; }

    public FakeTimeProvider Time { get; }

    public long Firing { get; private set; }

    public long Resolved { get; private set; }

    public FakeLogCollector Logs { get; } = new();

    public static async Task<SilenceRig> StartAsync()
    {
        var time = new FakeTimeProvider(T0);
        var store = (SqliteTestStore)await SqliteTestStore.CreateAsync();
        var rig = new SilenceRig(store, await AlertmanagerStub.StartAsync(time), time);
        await using (var running = new RunningWriter(store.CreateWriter(time, config: OncallConfig.Load())))
        {
            await running.SubmitAsync(new WebhookMessage("oncall", AlertStatus.Firing, "g", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "",
                [Make("DiskFull"), Make("Gone", resolved: true)]));
        }

        var items = (await store.Queries.ListAsync(new AlertQuery(), default)).Items;
        rig.Firing = items.Single(a => a.Alertname == "DiskFull").Id;
        rig.Resolved = items.Single(a => a.Alertname == "Gone").Id;
        return rig;
    }

    /// <summary>A loopback URL nothing listens on.</summary>
    public static string DeadUrl() => $"http://127.0.0.1:{FreePort.Get()}";

    public AlertmanagerClient Client(params string[] urls) =>
        new(_services.GetRequiredService<IHttpClientFactory>(), Microsoft.Extensions.Options.Options.Create(Options(urls)));

    public AlertmanagerSilencer Silencer(string[]? urls = null, string[]? excluded = null)
    {
        var options = Options(urls ?? [DeadUrl(), Alertmanager.Url]);
        options.SilenceExcludedLabels = [.. excluded ?? []];
        var client = new AlertmanagerClient(_services.GetRequiredService<IHttpClientFactory>(), Microsoft.Extensions.Options.Options.Create(options));
        return new AlertmanagerSilencer(Store.Silences, client, Microsoft.Extensions.Options.Options.Create(options), NullLogger<AlertmanagerSilencer>.Instance);
    }

    public SilenceWatcher Watcher(params string[] urls) =>
        new(Store.Silences, Client(urls.Length == 0 ? [DeadUrl(), Alertmanager.Url] : urls), new OutboxSignal(), Time,
            new FakeLogger<SilenceWatcher>(Logs));

    public async Task<string[]> TimelineAsync(long id) =>
        (await Store.Queries.GetAsync(id, default))!.Value.Events.Where(e => e.Kind is EventKinds.Silenced or EventKinds.Unsilenced)
            .Select(e => e.Kind + (e.Kind == EventKinds.Unsilenced ? ":" + System.Text.Json.JsonDocument.Parse(e.DetailJson!).RootElement.GetProperty("reason").GetString() : ""))
            .ToArray();

    public async ValueTask DisposeAsync()
    {
        await Alertmanager.DisposeAsync();
        await _services.DisposeAsync();
        await Store.DisposeAsync();
    }

    private static AlertmanagerOptions Options(string[] urls) => new() { Urls = [.. urls], TimeoutSeconds = 5 };

    private static Alert Make(string name, bool resolved = false)
    {
        var labels = LabelSet.From(("alertname", name), ("severity", "critical"), ("instance", "db-1"));
        return new(Fingerprint.Of(labels), resolved ? AlertStatus.Resolved : AlertStatus.Firing, labels, LabelSet.Empty,
            T0.AddMinutes(-5), resolved ? T0.AddMinutes(-1) : null, "");
    }
}

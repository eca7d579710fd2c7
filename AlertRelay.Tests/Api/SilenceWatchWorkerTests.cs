using AlertRelay.Api.Workers;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.Oncall;
using Microsoft.Extensions.Logging.Abstractions;

namespace AlertRelay.Tests.Api;

/// <summary>The watcher's worker on a fake clock: a pass at start, then one per interval.</summary>
public sealed class SilenceWatchWorkerTests
{
    [Fact]
    public async Task Worker_NoticesAnEndedSilence_AtTheNextInterval()
    {
        await using var rig = await SilenceRig.StartAsync();
        await rig.Silencer().SilenceAsync(rig.Firing, new Actor("Alice", ActorSources.Api), TimeSpan.FromMinutes(1), null, rig.Time.GetUtcNow(), default);
        var options = Microsoft.Extensions.Options.Options.Create(new AlertmanagerOptions { Urls = [rig.Alertmanager.Url], WatchIntervalSeconds = 30 });
        using var worker = new SilenceWatchWorker(rig.Watcher(rig.Alertmanager.Url), options, rig.Time, NullLogger<SilenceWatchWorker>.Instance);

        await worker.StartAsync(default);
        await Eventually.UntilAsync(() => rig.Alertmanager.Requests.Any(r => r.Method == "GET"), TimeSpan.FromSeconds(10), "the first pass at start");
        var stillSilenced = (await rig.Store.Silences.FindAsync(rig.Firing, default)).Silence;
        rig.Time.Advance(TimeSpan.FromSeconds(60));
        await Eventually.UntilAsync(async () => (await rig.Store.Silences.FindAsync(rig.Firing, default)).Silence is null,
            TimeSpan.FromSeconds(10), "the pass after the silence's end to clear it");
        await worker.StopAsync(default);

        Assert.NotNull(stillSilenced);
        Assert.Equal(["silenced", "unsilenced:expired"], await rig.TimelineAsync(rig.Firing));
    }

    [Fact]
    public async Task Worker_DoesNothing_WhenSilencesAreNotConfigured()
    {
        await using var rig = await SilenceRig.StartAsync();
        var options = Microsoft.Extensions.Options.Options.Create(new AlertmanagerOptions());
        using var worker = new SilenceWatchWorker(rig.Watcher(rig.Alertmanager.Url), options, rig.Time, NullLogger<SilenceWatchWorker>.Instance);

        await worker.StartAsync(default);
        await worker.ExecuteTask!;

        Assert.True(worker.ExecuteTask.IsCompletedSuccessfully);
        Assert.Empty(rig.Alertmanager.Requests);
    }
}

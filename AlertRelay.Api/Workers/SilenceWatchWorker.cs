using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the silence watcher every <c>AlertRelay:Alertmanager:WatchIntervalSeconds</c> (on the injected clock), when silences are configured.</summary>
public sealed class SilenceWatchWorker(SilenceWatcher watcher, IOptions<AlertmanagerOptions> options, TimeProvider time, ILogger<SilenceWatchWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            return; // UseSilences warned at start-up
        }

        var interval = TimeSpan.FromSeconds(options.Value.WatchIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await watcher.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The silences are in the database: the next pass looks at them again.
                    logger.LogError(ex, "Silence watch pass failed; retrying in {interval}", interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Ingest;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Workers;

/// <summary>
/// Asks the ingest writer for a heartbeat pass at start-up and then every <c>AlertRelay:Heartbeats:CheckIntervalSeconds</c> (on the
/// injected clock). The pass itself (and whether it needs a write transaction) is the writer's.
/// </summary>
public sealed class HeartbeatWorker(IngestWriter writer, IOptions<HeartbeatOptions> options, TimeProvider time, ILogger<HeartbeatWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.CheckIntervalSeconds);
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            do
            {
                try
                {
                    await writer.CheckHeartbeatsAsync(stoppingToken);
                }
                catch (IngestUnavailableException ex)
                {
                    // The state is in the database: the next pass decides again.
                    logger.LogWarning(ex, "Heartbeat pass failed; retrying in {interval}", interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using AlertRelay.Core.History;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Workers;

/// <summary>Runs history retention every <c>AlertRelay:History:IntervalMinutes</c>.</summary>
public sealed class RetentionWorker(IHistoryRetention retention, TimeProvider time, IOptions<HistoryOptions> options, ILogger<RetentionWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.IntervalMinutes), time);
        try
        {
            do
            {
                try
                {
                    await retention.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "History retention pass failed; retrying at the next interval");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

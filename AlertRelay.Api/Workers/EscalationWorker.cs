using AlertRelay.Core.Escalation;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the escalation scheduler once a second (on the injected clock).</summary>
public sealed class EscalationWorker(EscalationScheduler scheduler, TimeProvider time, ILogger<EscalationWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    await scheduler.RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The state is in the database: the next pass picks up where this one failed.
                    logger.LogError(ex, "Escalation pass failed; retrying in {interval}", Interval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using AlertRelay.Core.Ingest;

namespace AlertRelay.Api.Workers;

/// <summary>
/// Runs the ingest writer (group commit) and the inbox appender for the life of the host; on shutdown it commits what is queued. Once a second (on
/// the injected clock) it asks the writer to confirm the re-open candidates whose grace has ended, and every 15 s to notify the
/// receivers whose time interval mute has ended: no webhook is needed.
/// </summary>
public sealed class IngestWorker(IngestWriter writer, InboxAppender inbox, TimeProvider time, ILogger<IngestWorker> logger) : BackgroundService
{
    public static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    /// <summary>How late after its mute ends a still-firing alert is notified, at most (Alertmanager: its group_interval, 5m by default).</summary>
    public static readonly TimeSpan UnmuteInterval = TimeSpan.FromSeconds(15);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(
            writer.RunAsync(stoppingToken),
            inbox.RunAsync(stoppingToken),
            EveryAsync(ReopenInterval, writer.ConfirmDueReopensAsync, "Confirming due re-opens", stoppingToken),
            EveryAsync(UnmuteInterval, writer.NotifyUnmutedAsync, "The unmute pass", stoppingToken));

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task<IngestResult>> pass, string name, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await pass(stoppingToken);
                }
                catch (IngestUnavailableException ex)
                {
                    // What is due stays in the database: the next pass does it.
                    logger.LogWarning(ex, "{pass} failed; retrying in {interval}", name, interval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

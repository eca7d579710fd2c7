using AlertRelay.Core.Ingest;

namespace AlertRelay.Api.Workers;

/// <summary>
/// Runs the ingest writer (group commit) and the inbox appender for the life of the host; on shutdown it commits what is queued. Once a second (on
/// the injected clock) it asks the writer to confirm the re-open candidates whose grace has ended: no webhook is needed.
/// </summary>
public sealed class IngestWorker(IngestWriter writer, InboxAppender inbox, TimeProvider time, ILogger<IngestWorker> logger) : BackgroundService
{
    public static readonly TimeSpan ReopenInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(writer.RunAsync(stoppingToken), inbox.RunAsync(stoppingToken), ConfirmReopensAsync(stoppingToken));

    private async Task ConfirmReopensAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReopenInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await writer.ConfirmDueReopensAsync(stoppingToken);
                }
                catch (IngestUnavailableException ex)
                {
                    // The candidates stay in the database: the next pass confirms them.
                    logger.LogWarning(ex, "Confirming due re-opens failed; retrying in {interval}", ReopenInterval);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

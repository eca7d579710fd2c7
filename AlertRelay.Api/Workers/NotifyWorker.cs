using AlertRelay.Core.Notify;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the outbox dispatcher for the life of the host.</summary>
public sealed class NotifyWorker(OutboxDispatcher dispatcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await dispatcher.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

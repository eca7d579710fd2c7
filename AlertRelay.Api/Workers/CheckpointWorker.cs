using AlertRelay.Core.History;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the SQLite store's background WAL checkpoints for the life of the host.</summary>
public sealed class CheckpointWorker(WalCheckpointer checkpointer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => checkpointer.RunAsync(stoppingToken);
}

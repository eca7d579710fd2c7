using AlertRelay.Api.Hosting;
using AlertRelay.Core.History;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the SQLite store's background WAL checkpoints for the life of the host (nothing on PostgreSQL).</summary>
public sealed class CheckpointWorker(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        services.IsPostgres() ? Task.CompletedTask : services.GetRequiredService<WalCheckpointer>().RunAsync(stoppingToken);
}

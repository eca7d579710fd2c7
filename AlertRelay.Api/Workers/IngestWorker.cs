using AlertRelay.Core.Ingest;

namespace AlertRelay.Api.Workers;

/// <summary>Runs the ingest writer (group commit) for the life of the host; on shutdown it commits what is queued.</summary>
public sealed class IngestWorker(IngestWriter writer) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}

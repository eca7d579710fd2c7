using ECommerce.Api.Catalog;
using ECommerce.Api.Hosting;
using Microsoft.Extensions.Options;

namespace ECommerce.Api.Workers;

/// <summary>Every <c>ECommerce:RestockIntervalSeconds</c>, refills the products that ran low, as a warehouse would.</summary>
public sealed class RestockWorker(
    CatalogStore catalog, IOptions<ECommerceOptions> options, TimeProvider time, ILogger<RestockWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.RestockIntervalSeconds;
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var restocked = await catalog.RestockAsync(stoppingToken);
                if (restocked > 0)
                {
                    logger.LogInformation("Restocked {products} products", restocked);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

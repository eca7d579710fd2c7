using ECommerce.Api.Catalog;
using Prometheus;

namespace ECommerce.Api.Monitoring;

/// <summary>
/// The shop's Prometheus metrics (prefix <c>ecommerce_api_</c>) in a registry of their own, with prometheus-net's
/// process and .NET runtime metrics beside them; <c>/metrics</c> serves this registry.
/// </summary>
public sealed class ShopMetrics : IDisposable
{
    /// <summary>Histogram buckets for web latency, 5 ms to 10 s.</summary>
    public static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter.Child _ordersCreated;
    private readonly Counter.Child _ordersFailed;
    private readonly IDisposable _runtimeCounters;

    public ShopMetrics(ActiveUserTracker activeUsers, CatalogStore catalog, ILogger<ShopMetrics> logger)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);

        _requests = factory.CreateCounter(
            "ecommerce_api_http_requests_total", "HTTP requests answered, by method, route template and status code.",
            "method", "route", "status_code");
        _duration = factory.CreateHistogram(
            "ecommerce_api_http_request_duration_seconds", "Time to answer an HTTP request, by method and route template.",
            new HistogramConfiguration { LabelNames = ["method", "route"], Buckets = DurationBuckets });

        var orders = factory.CreateCounter("ecommerce_api_orders_total", "Orders placed (created) and refused (failed).", "status");
        _ordersCreated = orders.WithLabels("created");
        _ordersFailed = orders.WithLabels("failed");

        var activeUsersGauge = factory.CreateGauge(
            "ecommerce_api_active_users", "Distinct users who logged in or made an authenticated request in the last 5 minutes.");
        var inStock = factory.CreateGauge(
            "ecommerce_api_products_in_stock", "Units in stock, by product category.", "category");

        // Computed from the data at each scrape, so the gauges cannot drift from the database.
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            activeUsersGauge.Set(activeUsers.CountActive());
            IReadOnlyList<Category> categories;
            try
            {
                categories = await catalog.CategoriesAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A broken database must not take the whole scrape down with it: the HTTP metrics are what show
                // the outage. The stock gauges keep their last values meanwhile.
                logger.LogWarning(exception, "Could not read the stock for ecommerce_api_products_in_stock");
                return;
            }

            foreach (var category in categories)
            {
                inStock.WithLabels(category.Slug).Set(category.UnitsInStock);
            }
        });

        DotNetStats.Register(Registry);
        _runtimeCounters = EventCounterAdapter.StartListening(new EventCounterAdapterOptions
        {
            // Both: the factory of the options' defaults points at the default registry and would win over Registry.
            Registry = Registry,
            MetricFactory = factory,
            EventSourceFilterPredicate = name => name == "System.Runtime",
        });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts one answered request and observes its duration.</summary>
    public void ObserveRequest(string method, string route, int statusCode, TimeSpan duration)
    {
        var methodLabel = RouteLabels.Method(method);
        _requests.WithLabels(methodLabel, route, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _duration.WithLabels(methodLabel, route).Observe(duration.TotalSeconds);
    }

    /// <summary>Counts an order that was placed.</summary>
    public void OrderCreated() => _ordersCreated.Inc();

    /// <summary>Counts an order that was refused (out of stock, empty cart).</summary>
    public void OrderFailed() => _ordersFailed.Inc();

    public void Dispose() => _runtimeCounters.Dispose();
}

using System.Globalization;
using System.Net;
using Dapper;
using ECommerce.Api.Data;
using ECommerce.Api.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.Tests.Monitoring;

public sealed class RequestMetricsTests : IDisposable
{
    private const string Requests = "ecommerce_api_http_requests_total";
    private const string DurationCount = "ecommerce_api_http_request_duration_seconds_count";
    private const string DurationBucket = "ecommerce_api_http_request_duration_seconds_bucket";

    private readonly ShopApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task RouteLabel_IsTheTemplate_WhenThePathHasAParameter()
    {
        var client = await _app.UserClientAsync();

        var response = await client.DeleteAsync("/api/cart/items/42");
        await _app.CreateClient().GetAsync("/api/products/7");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode); // not in the cart
        var scrape = await _app.ScrapeAsync();
        Assert.Equal(1, scrape.Value(Requests, ("method", "DELETE"), ("route", "/api/cart/items/{productId}"), ("status_code", "404")));
        Assert.Equal(1, scrape.Value(Requests, ("method", "GET"), ("route", "/api/products/{productId}"), ("status_code", "200")));
        Assert.DoesNotContain(scrape.LabelValues(Requests, "route"), route => route.Contains("42") || route.EndsWith("/7"));
    }

    [Theory]
    [InlineData("answered", "GET", "/api/products/search?q=tea", "/api/products/search")]
    [InlineData("refused without a token", "GET", "/api/cart", "/api/cart")]
    [InlineData("invalid query", "GET", "/api/products?page=0", "/api/products")]
    [InlineData("unmatched", "GET", "/no/such/page", RouteLabels.Unmatched)]
    public async Task Histogram_ObservesExactlyOnce_WhenARequestIsAnswered(string _, string method, string path, string route)
    {
        var before = await _app.ScrapeAsync();

        await _app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        var after = await _app.ScrapeAsync();
        Assert.Equal(before.Value(DurationCount, ("method", method), ("route", route)) + 1, after.Value(DurationCount, ("method", method), ("route", route)));
        Assert.Equal(before.Sum(Requests, ("method", method), ("route", route)) + 1, after.Sum(Requests, ("method", method), ("route", route)));
    }

    [Fact]
    public async Task Request_IsCountedAs500WithItsRoute_WhenTheHandlerThrows()
    {
        await _app.Services.GetRequiredService<ShopDatabase>().RunAsync(
            connection => connection.Execute("DROP TABLE order_items; DROP TABLE orders"), CancellationToken.None);
        var client = await _app.UserClientAsync();
        var before = await _app.ScrapeAsync();

        var response = await client.GetAsync("/api/orders");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var after = await _app.ScrapeAsync();
        Assert.Equal(1, after.Value(Requests, ("method", "GET"), ("route", "/api/orders"), ("status_code", "500")));
        Assert.Equal(before.Value(DurationCount, ("route", "/api/orders")) + 1, after.Value(DurationCount, ("route", "/api/orders")));
    }

    [Fact]
    public async Task Scrape_StillAnswers_WhenTheStockCannotBeRead()
    {
        await _app.ScrapeAsync();
        await _app.Services.GetRequiredService<ShopDatabase>().RunAsync(
            connection => connection.Execute("ALTER TABLE products RENAME TO gone"), CancellationToken.None);

        var response = await _app.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ecommerce_api_http_requests_total", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnmatchedPaths_ShareOneLabel_WhenManyDifferentPathsAreRequested()
    {
        var client = _app.CreateClient();

        foreach (var path in new[] { "/nope", "/api/nope/1", "/api/products/not-a-number", $"/{Guid.NewGuid()}", "/api/cart/items/1/extra" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
        }

        var scrape = await _app.ScrapeAsync();
        Assert.Equal(5, scrape.Value(Requests, ("method", "GET"), ("route", RouteLabels.Unmatched), ("status_code", "404")));
        Assert.Equal(5, scrape.Value(DurationCount, ("method", "GET"), ("route", RouteLabels.Unmatched)));
        Assert.All(scrape.LabelValues(Requests, "route"), route => Assert.True(route == RouteLabels.Unmatched || route.StartsWith('/')));
        Assert.DoesNotContain(scrape.LabelValues(Requests, "route"), route => route.Contains("nope") || route.Contains("extra"));
    }

    [Fact]
    public async Task MethodLabel_IsOther_WhenTheMethodIsNotStandard()
    {
        await _app.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod("BREW"), "/api/products"));

        var methods = (await _app.ScrapeAsync()).LabelValues(Requests, "method");
        Assert.Contains("OTHER", methods);
        Assert.DoesNotContain("BREW", methods);
    }

    [Fact]
    public async Task Histogram_HasWebLatencyBuckets_WhenARequestIsObserved()
    {
        await _app.CreateClient().GetAsync("/api/health");

        var scrape = await _app.ScrapeAsync();
        var bounds = scrape.LabelValues(DurationBucket, "le").Where(le => le != "+Inf")
            .Select(le => double.Parse(le, CultureInfo.InvariantCulture)).Order();
        Assert.Equal(ShopMetrics.DurationBuckets, bounds);
        Assert.Equal(0.005, ShopMetrics.DurationBuckets[0]);
        Assert.Equal(10, ShopMetrics.DurationBuckets[^1]);
    }

    [Fact]
    public async Task Scrape_IncludesRuntimeEventCounters_WhenTheirFirstUpdateHasRun()
    {
        // The event counter adapter publishes System.Runtime's counters every 10 seconds.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var scrape = await _app.ScrapeAsync();
        // Both, not the first alone: the adapter writes a publication's counters one by one, and a scrape can fall in between.
        while (!(scrape.Has("system_runtime_cpu_usage") && scrape.Has("system_runtime_gc_heap_size")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            scrape = await _app.ScrapeAsync();
        }

        Assert.True(scrape.Has("system_runtime_cpu_usage"));
        Assert.True(scrape.Has("system_runtime_gc_heap_size"));
    }

    [Fact]
    public async Task Scrape_IncludesProcessMetricsAndZeroedOrderCounters_WhenNothingHappenedYet()
    {
        var scrape = await _app.ScrapeAsync();

        Assert.True(scrape.Has("process_cpu_seconds_total"));
        Assert.True(scrape.Has("process_working_set_bytes"));
        Assert.True(scrape.Has("dotnet_collection_count_total"));
        Assert.Equal(["created", "failed"], scrape.LabelValues("ecommerce_api_orders_total", "status").Order()); // there from the start, at 0
        Assert.True(scrape.Has("ecommerce_api_active_users"));
    }
}

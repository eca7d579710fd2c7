using System.Net;
using System.Net.Sockets;
using ECommerce.LoadGen;

namespace ECommerce.Tests.LoadGen;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task Run_ReportsRequestsForEveryStepAndNoErrors_WhenTheShopRunsOnARealPort()
    {
        using var app = new ShopApp();
        var url = app.StartOnLoopback();
        var options = new LoadOptions
        {
            Url = url,
            Users = 4,
            Duration = TimeSpan.FromSeconds(2),
            RampUp = TimeSpan.FromMilliseconds(200),
            ThinkTime = TimeSpan.Zero,
            Accounts = 4,
            Password = ShopApp.Password,
        };
        var runner = new LoadRunner(options);

        var report = await runner.RunAsync();

        Assert.True(report.Reached);
        Assert.InRange(report.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(10));
        Assert.True(report.Overall.Requests > 20, $"{report.Overall.Requests} requests");
        Assert.Equal(0, report.Overall.Errors);
        Assert.Empty(report.ErrorsByStatus);
        Assert.True(report.RequestsPerSecond > 0);
        var steps = report.Steps.Select(s => s.Step).ToList();
        Assert.Subset(steps.ToHashSet(), new HashSet<string> { JourneySteps.Login, JourneySteps.Browse, JourneySteps.Search, JourneySteps.AddToCart, JourneySteps.ViewCart, JourneySteps.Order });
        Assert.Equal(4, report.Steps.Single(s => s.Step == JourneySteps.Login).Requests);
        Assert.Equal(report.Overall.Requests, report.Steps.Sum(s => s.Requests));
        Assert.All(report.Steps, s => Assert.True(s.P50 <= s.P95 && s.P95 <= s.P99 && s.P99 > TimeSpan.Zero, s.ToString()));

        // The shop saw the same traffic: orders were placed (plus, at most, one per user still in flight when
        // the run stopped, which the report leaves out) and the users are active.
        var scrape = await app.ScrapeAsync();
        var ordered = report.Steps.Single(s => s.Step == JourneySteps.Order).Requests;
        Assert.InRange(scrape.Value("ecommerce_api_orders_total", ("status", "created")), ordered, ordered + options.Users);
        Assert.Equal(4, scrape.Value("ecommerce_api_active_users"));
    }

    [Fact]
    public async Task Run_CountsInjectedErrorsByStatus_WhenTheShopFails()
    {
        using var app = new ShopApp(new Dictionary<string, string?>
        {
            ["ECommerce:Faults:Routes:/api/products/search:ErrorRate"] = "0.5",
            ["ECommerce:Faults:Routes:/api/products/search:StatusCode"] = "503",
        });
        var options = new LoadOptions
        {
            Url = app.StartOnLoopback(), Users = 2, Duration = TimeSpan.FromSeconds(2), RampUp = TimeSpan.Zero,
            ThinkTime = TimeSpan.Zero, Password = ShopApp.Password, Accounts = 2,
        };

        var report = await new LoadRunner(options).RunAsync();

        var search = report.Steps.Single(s => s.Step == JourneySteps.Search);
        Assert.True(search.Errors > 0);
        Assert.Equal(search.Errors, report.Overall.Errors);
        Assert.Equal(new Dictionary<string, long> { ["503"] = search.Errors }, report.ErrorsByStatus);
    }

    [Fact]
    public async Task Run_ReportsUnreached_WhenNothingListens()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port that was free a moment ago, and now refuses connections

        var report = await new LoadRunner(new LoadOptions { Url = new Uri($"http://127.0.0.1:{port}"), Duration = TimeSpan.FromSeconds(30) }).RunAsync();

        Assert.False(report.Reached);
        Assert.Contains("did not answer", report.UnreachableReason);
        Assert.Equal(0, report.Overall.Requests);
    }
}

using ECommerce.Api.Faults;

namespace ECommerce.Tests.Faults;

public sealed class FaultInjectorTests
{
    [Theory]
    [InlineData(0.0, "....................")]
    [InlineData(0.5, ".x.x.x.x.x.x.x.x.x.x")]
    [InlineData(0.25, "...x...x...x...x...x")]
    [InlineData(0.1, ".........x.........x")]
    [InlineData(0.3, "...x..x..x...x..x..x")]
    [InlineData(1.0, "xxxxxxxxxxxxxxxxxxxx")]
    public void Decide_FailsAnEvenShareOfRequests_WhenTheRouteHasAnErrorRate(double rate, string expected)
    {
        var injector = new FaultInjector(new FaultSettings { Routes = { ["/api/products"] = new FaultRule { ErrorRate = rate } } });

        var outcomes = string.Concat(Enumerable.Range(0, 20).Select(_ => injector.Decide("/api/products").ErrorStatus is null ? '.' : 'x'));

        Assert.Equal(expected, outcomes);
    }

    [Fact]
    public void Decide_FallsBackToTheGlobalRule_WhenTheRouteHasNoRuleOfItsOwn()
    {
        var injector = new FaultInjector(new FaultSettings
        {
            Global = new FaultRule { LatencyMs = 50 },
            Routes = { ["/api/cart"] = new FaultRule { ErrorRate = 1, StatusCode = 503 } },
        });

        Assert.Equal(new FaultDecision(TimeSpan.Zero, 503), injector.Decide("/API/CART"));
        Assert.Equal(new FaultDecision(TimeSpan.FromMilliseconds(50), null), injector.Decide("/api/orders"));
    }

    [Fact]
    public void Replace_RestartsSequencesAndDropsNoopRules_WhenSettingsChange()
    {
        var injector = new FaultInjector(new FaultSettings { Routes = { ["/api/cart"] = new FaultRule { ErrorRate = 0.5 } } });
        injector.Decide("/api/cart");

        var current = injector.Replace(new FaultSettings
        {
            Global = new FaultRule(),
            Routes = { ["/api/cart"] = new FaultRule { ErrorRate = 0.5 }, ["/api/orders"] = new FaultRule() },
        });

        Assert.Null(current.Global);
        Assert.Equal(["/api/cart"], current.Routes.Keys);
        Assert.Null(injector.Decide("/api/cart").ErrorStatus); // first of the new sequence, not the second of the old
        Assert.Equal(FaultDecision.None, injector.Decide("/api/orders"));
    }

    [Theory]
    [InlineData("/metrics", false)]
    [InlineData("/admin/faults", false)]
    [InlineData("unmatched", false)]
    [InlineData("/api/health", true)]
    [InlineData("/api/cart/items/{productId}", true)]
    public void Applies_SparesTheRoute_WhenItIsMetricsAdminOrUnmatched(string route, bool applies)
    {
        Assert.Equal(applies, FaultInjector.Applies(route));
    }

    [Fact]
    public void Validate_NamesEachBadField_WhenRulesAreOutOfRange()
    {
        var settings = new FaultSettings
        {
            Global = new FaultRule { LatencyMs = -1 },
            Routes = { ["/api/cart"] = new FaultRule { ErrorRate = 1.5, StatusCode = 404 } },
        };

        Assert.Equal(
            ["global.latencyMs", "routes[/api/cart].errorRate", "routes[/api/cart].statusCode"],
            settings.Validate().Select(p => p.Key));
    }
}

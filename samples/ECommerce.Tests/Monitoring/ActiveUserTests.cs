using System.Net.Http.Json;

namespace ECommerce.Tests.Monitoring;

public sealed class ActiveUserTests
{
    private const string ActiveUsers = "ecommerce_api_active_users";

    [Fact]
    public async Task ActiveUsers_CountsDistinctUsers_WhenTheyLogInAndShop()
    {
        using var app = ShopApp.WithFakeTime(out _);
        var alice = await app.UserClientAsync("user001");
        await app.UserClientAsync("user002");
        await app.UserClientAsync("user001"); // again: still one user
        await alice.GetAsync("/api/cart");
        await app.CreateClient().GetAsync("/api/products"); // anonymous browsing counts nobody

        Assert.Equal(2, (await app.ScrapeAsync()).Value(ActiveUsers));
    }

    [Fact]
    public async Task ActiveUsers_ForgetsAUser_When5MinutesPassWithoutARequest()
    {
        using var app = ShopApp.WithFakeTime(out var time);
        var alice = await app.UserClientAsync("user001");
        await app.UserClientAsync("user002");

        time.Advance(TimeSpan.FromMinutes(4));
        await alice.GetAsync("/api/cart"); // alice is back; bob is not
        Assert.Equal(2, (await app.ScrapeAsync()).Value(ActiveUsers));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await app.ScrapeAsync()).Value(ActiveUsers));

        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, (await app.ScrapeAsync()).Value(ActiveUsers));
    }

    [Fact]
    public async Task ActiveUsers_StaysZero_WhenALoginFails()
    {
        using var app = ShopApp.WithFakeTime(out _);

        await app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "user001", password = "wrong" });

        Assert.Equal(0, (await app.ScrapeAsync()).Value(ActiveUsers));
    }
}

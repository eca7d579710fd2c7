using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ECommerce.Tests.Orders;

public sealed class OrderEndpointTests : IDisposable
{
    private const string InStock = "ecommerce_api_products_in_stock";
    private const string Orders = "ecommerce_api_orders_total";

    private readonly ShopApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Place_CreatesTheOrderAndDecrementsStockAndGauge_WhenEveryLineIsInStock()
    {
        var client = await _app.UserClientAsync();
        var product = await _app.ProductAsync(1);
        var category = product.GetProperty("category").GetString()!;
        var stock = product.GetProperty("stock").GetInt64();
        var before = await _app.ScrapeAsync();
        await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 3 });

        var response = await client.PostAsync("/api/orders", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/orders/{order.GetProperty("id").GetInt64()}", response.Headers.Location?.OriginalString);
        Assert.Equal("created", order.GetProperty("status").GetString());
        Assert.Equal(3 * product.GetProperty("price").GetDecimal(), order.GetProperty("total").GetDecimal());
        Assert.Equal(stock - 3, (await _app.ProductAsync(1)).GetProperty("stock").GetInt64());
        var after = await _app.ScrapeAsync();
        Assert.Equal(before.Value(InStock, ("category", category)) - 3, after.Value(InStock, ("category", category)));
        Assert.Equal(before.Value(Orders, ("status", "created")) + 1, after.Value(Orders, ("status", "created")));
        Assert.Equal(0, (await client.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("units").GetInt64());
    }

    [Fact]
    public async Task Place_Answers409AndCountsAFailedOrder_WhenAProductIsOutOfStock()
    {
        var client = await _app.UserClientAsync();
        var scarce = (await _app.CreateClient().GetFromJsonAsync<JsonElement>("/api/products?pageSize=100"))
            .GetProperty("items").EnumerateArray().First(p => p.GetProperty("stock").GetInt64() < 20);
        var productId = scarce.GetProperty("id").GetInt64();
        var stock = scarce.GetProperty("stock").GetInt64();
        var before = await _app.ScrapeAsync();
        await client.PostAsJsonAsync("/api/cart/items", new { productId = 2, quantity = 1 });
        await client.PostAsJsonAsync("/api/cart/items", new { productId, quantity = stock + 1 });

        var response = await client.PostAsync("/api/orders", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var shortage = problem.GetProperty("shortages").EnumerateArray().Single();
        Assert.Equal(productId, shortage.GetProperty("productId").GetInt64());
        Assert.Equal(stock, shortage.GetProperty("available").GetInt64());
        var after = await _app.ScrapeAsync();
        Assert.Equal(before.Value(Orders, ("status", "failed")) + 1, after.Value(Orders, ("status", "failed")));
        Assert.Equal(before.Value(Orders, ("status", "created")), after.Value(Orders, ("status", "created")));
        Assert.Equal(before.Sum(InStock), after.Sum(InStock)); // nothing taken, not even the line that was in stock
        Assert.Equal(2, (await client.GetFromJsonAsync<JsonElement>("/api/cart")).GetProperty("items").GetArrayLength());
        Assert.Empty(await client.GetFromJsonAsync<JsonElement[]>("/api/orders") ?? []);
    }

    [Fact]
    public async Task Place_SellsTheLastUnitsOnce_WhenTwoUsersOrderThemAtTheSameTime()
    {
        var alice = await _app.UserClientAsync("user001");
        var bob = await _app.UserClientAsync("user002");
        var stock = (await _app.ProductAsync(8)).GetProperty("stock").GetInt64();
        await alice.PostAsJsonAsync("/api/cart/items", new { productId = 8, quantity = stock });
        await bob.PostAsJsonAsync("/api/cart/items", new { productId = 8, quantity = stock });

        var answers = await Task.WhenAll(alice.PostAsync("/api/orders", null), bob.PostAsync("/api/orders", null));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        Assert.Equal(0, (await _app.ProductAsync(8)).GetProperty("stock").GetInt64());
    }

    [Fact]
    public async Task Place_Answers400_WhenTheCartIsEmpty()
    {
        var client = await _app.UserClientAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/orders", null)).StatusCode);
    }

    [Fact]
    public async Task List_ShowsOwnOrdersNewestFirst_WhenTwoUsersOrder()
    {
        var alice = await _app.UserClientAsync("user001");
        var bob = await _app.UserClientAsync("user002");
        foreach (var productId in new[] { 3, 4 })
        {
            await alice.PostAsJsonAsync("/api/cart/items", new { productId, quantity = 1 });
            (await alice.PostAsync("/api/orders", null)).EnsureSuccessStatusCode();
        }

        var orders = await alice.GetFromJsonAsync<JsonElement[]>("/api/orders");

        Assert.Equal([4L, 3L], orders!.Select(o => o.GetProperty("items")[0].GetProperty("productId").GetInt64()));
        Assert.Empty(await bob.GetFromJsonAsync<JsonElement[]>("/api/orders") ?? []);
    }
}

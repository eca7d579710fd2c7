using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ECommerce.Tests.Cart;

public sealed class CartEndpointTests : IDisposable
{
    private readonly ShopApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Add_AddsLinesAndRaisesQuantities_WhenTheProductIsAlreadyInTheCart()
    {
        var client = await _app.UserClientAsync();

        await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 2 });
        await client.PostAsJsonAsync("/api/cart/items", new { productId = 2 });
        var response = await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 1 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cart = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([(1L, 3L), (2L, 1L)], Lines(cart));
        Assert.Equal(4, cart.GetProperty("units").GetInt64());
        var price1 = (await _app.ProductAsync(1)).GetProperty("price").GetDecimal();
        var price2 = (await _app.ProductAsync(2)).GetProperty("price").GetDecimal();
        Assert.Equal(3 * price1 + price2, cart.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Cart_BelongsToItsUser_WhenTwoUsersShop()
    {
        var alice = await _app.UserClientAsync("user001");
        var bob = await _app.UserClientAsync("user002");

        await alice.PostAsJsonAsync("/api/cart/items", new { productId = 5, quantity = 1 });

        Assert.Equal([(5L, 1L)], Lines(await alice.GetFromJsonAsync<JsonElement>("/api/cart")));
        Assert.Empty(Lines(await bob.GetFromJsonAsync<JsonElement>("/api/cart")));
    }

    [Fact]
    public async Task Remove_Answers204ThenA404_WhenTheLineIsRemovedTwice()
    {
        var client = await _app.UserClientAsync();
        await client.PostAsJsonAsync("/api/cart/items", new { productId = 7, quantity = 1 });

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/cart/items/7")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/cart/items/7")).StatusCode);
        Assert.Empty(Lines(await client.GetFromJsonAsync<JsonElement>("/api/cart")));
    }

    [Fact]
    public async Task Add_Answers404_WhenTheProductDoesNotExist()
    {
        var client = await _app.UserClientAsync();

        var response = await client.PostAsJsonAsync("/api/cart/items", new { productId = 99999, quantity = 1 });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public async Task Add_Answers400_WhenTheQuantityIsOutOfRange(int quantity)
    {
        var client = await _app.UserClientAsync();

        var response = await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Add_Answers400_WhenTheLineWouldExceed100Units()
    {
        var client = await _app.UserClientAsync();
        await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 60 });

        var response = await client.PostAsJsonAsync("/api/cart/items", new { productId = 1, quantity = 41 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([(1L, 60L)], Lines(await client.GetFromJsonAsync<JsonElement>("/api/cart")));
    }

    private static List<(long ProductId, long Quantity)> Lines(JsonElement cart) =>
        cart.GetProperty("items").EnumerateArray()
            .Select(l => (l.GetProperty("productId").GetInt64(), l.GetProperty("quantity").GetInt64())).ToList();
}

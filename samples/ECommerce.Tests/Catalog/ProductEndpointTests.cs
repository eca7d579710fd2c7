using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ECommerce.Api.Data;

namespace ECommerce.Tests.Catalog;

public sealed class ProductEndpointTests : IClassFixture<ShopAppFixture>
{
    private readonly HttpClient _client;

    public ProductEndpointTests(ShopAppFixture fixture) => _client = fixture.App.CreateClient();

    [Fact]
    public async Task List_PagesThroughTheCatalogueByName_WhenAskedPageByPage()
    {
        var first = await _client.GetFromJsonAsync<JsonElement>("/api/products?page=1&pageSize=30");
        var second = await _client.GetFromJsonAsync<JsonElement>("/api/products?page=2&pageSize=30");

        Assert.Equal(SeedCatalog.Products.Length, first.GetProperty("total").GetInt32());
        var names = Names(first).Concat(Names(second)).ToList();
        Assert.Equal(SeedCatalog.Products.Length, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names); // SQLite's BINARY collation
    }

    [Fact]
    public async Task List_ReturnsOnlyThatCategory_WhenACategoryIsGiven()
    {
        var books = await _client.GetFromJsonAsync<JsonElement>("/api/products?category=books");

        Assert.Equal(SeedCatalog.Products.Count(p => p.Category == "books"), books.GetProperty("total").GetInt32());
        Assert.All(books.GetProperty("items").EnumerateArray(), p => Assert.Equal("books", p.GetProperty("category").GetString()));
        Assert.All(books.GetProperty("items").EnumerateArray(), p => Assert.True(p.GetProperty("stock").GetInt64() > 0));
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    public async Task List_Answers400_WhenPagingIsOutOfRange(string query)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/products?{query}")).StatusCode);
    }

    [Fact]
    public async Task Search_FindsNameAndDescriptionMatches_WhenTheCaseDiffers()
    {
        var found = await _client.GetFromJsonAsync<JsonElement>("/api/products/search?q=COFFEE");

        Assert.Equal(["Coffee Beans 1kg", "French Press"], Names(found));
    }

    [Theory]
    [InlineData("")]
    [InlineData("?q=")]
    [InlineData("?q=a")]
    public async Task Search_Answers400_WhenTheQueryIsMissingOrTooShort(string query)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync($"/api/products/search{query}")).StatusCode);
    }

    [Fact]
    public async Task Search_TreatsWildcardsLiterally_WhenTheQueryHasThem()
    {
        var found = await _client.GetFromJsonAsync<JsonElement>("/api/products/search?q=%25%25");

        Assert.Equal(0, found.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Get_Answers404_WhenTheProductDoesNotExist()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/api/products/99999")).StatusCode);
    }

    [Fact]
    public async Task Categories_ListsEveryCategoryWithItsStock_WhenSeeded()
    {
        var categories = await _client.GetFromJsonAsync<JsonElement>("/api/categories");

        Assert.Equal(SeedCatalog.Categories.Select(c => c.Slug).Order(), categories.EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        Assert.All(categories.EnumerateArray(), c => Assert.True(c.GetProperty("unitsInStock").GetInt64() > 0));
    }

    private static List<string> Names(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
}

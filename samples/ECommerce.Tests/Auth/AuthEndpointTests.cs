using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using ECommerce.Api.Data;
using Microsoft.Extensions.DependencyInjection;

namespace ECommerce.Tests.Auth;

public sealed class AuthEndpointTests : IDisposable
{
    private readonly ShopApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Login_ReturnsAWorkingBearerToken_WhenThePasswordIsRight()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "user003", password = ShopApp.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal("user003", body.GetProperty("username").GetString());
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(43, token.Length); // 32 random bytes, base64url
        Assert.Equal(HttpStatusCode.OK, (await _app.ClientWith(token).GetAsync("/api/cart")).StatusCode);
    }

    [Fact]
    public async Task Login_IssuesADifferentTokenEachTime_WhenTheSameUserLogsInTwice()
    {
        Assert.NotEqual(await _app.TokenAsync("user001"), await _app.TokenAsync("user001"));
    }

    [Theory]
    [InlineData("wrong password", "user001", "not-the-password")]
    [InlineData("unknown user", "nobody", ShopApp.Password)]
    public async Task Login_Answers401_WhenTheCredentialsAreWrong(string _, string username, string password)
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False((await response.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("token", out JsonElement _));
    }

    [Fact]
    public async Task Login_Answers400_WhenFieldsAreMissing()
    {
        var response = await _app.CreateClient().PostAsJsonAsync("/api/auth/login", new { username = "user001" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("password", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Seed_StoresSaltedHashesNotPasswords_WhenCreatingUsers()
    {
        var hashes = await _app.Services.GetRequiredService<ShopDatabase>().RunAsync(
            connection => connection.Query<string>("SELECT password_hash FROM users").AsList(), CancellationToken.None);

        Assert.Equal(10, hashes.Count);
        Assert.All(hashes, hash => Assert.StartsWith("pbkdf2-sha256$1000$", hash));
        Assert.All(hashes, hash => Assert.DoesNotContain(ShopApp.Password, hash));
        Assert.Equal(hashes.Count, hashes.Distinct().Count()); // a salt of their own
    }

    [Theory]
    [InlineData("GET", "/api/cart")]
    [InlineData("POST", "/api/cart/items")]
    [InlineData("DELETE", "/api/cart/items/1")]
    [InlineData("POST", "/api/orders")]
    [InlineData("GET", "/api/orders")]
    public async Task CartAndOrders_Answer401_WhenNoTokenOrAnUnknownOneIsSent(string method, string path)
    {
        var anonymous = await _app.CreateClient().SendAsync(Request(method, path));
        var forged = await _app.ClientWith("forged-token-forged-token-forged-token-abcd").SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task Token_IsRefused_WhenItsLifetimeHasPassed()
    {
        using var app = ShopApp.WithFakeTime(out var time);
        var client = await app.UserClientAsync();
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cart")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cart")).StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" && path.EndsWith("items", StringComparison.Ordinal) ? JsonContent.Create(new { productId = 1, quantity = 1 }) : null,
    };
}

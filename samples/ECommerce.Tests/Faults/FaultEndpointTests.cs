using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace ECommerce.Tests.Faults;

public sealed class FaultEndpointTests : IDisposable
{
    private const string Requests = "ecommerce_api_http_requests_total";

    private readonly ShopApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Put_InjectsErrorsCountedAs500_WhenARouteGetsAnErrorRate()
    {
        var put = await _app.AdminClient().PutAsJsonAsync("/admin/faults",
            new { routes = new Dictionary<string, object> { ["/api/products/search"] = new { errorRate = 0.5 } } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var client = _app.CreateClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await client.GetAsync("/api/products/search?q=tea")).StatusCode);
        }

        HttpStatusCode ok = HttpStatusCode.OK, error = HttpStatusCode.InternalServerError;
        Assert.Equal([ok, error, ok, error, ok, error], statuses);
        var scrape = await _app.ScrapeAsync();
        Assert.Equal(3, scrape.Value(Requests, ("route", "/api/products/search"), ("status_code", "500")));
        Assert.Equal(3, scrape.Value(Requests, ("route", "/api/products/search"), ("status_code", "200")));
        Assert.Equal(6, scrape.Value("ecommerce_api_http_request_duration_seconds_count", ("route", "/api/products/search")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/products")).StatusCode); // other routes untouched
    }

    [Fact]
    public async Task Put_SwitchesFaultsAtRunTime_WhenCalledAgainOrCleared()
    {
        var admin = _app.AdminClient();
        var client = _app.CreateClient();
        await admin.PutAsJsonAsync("/admin/faults", new { routes = new Dictionary<string, object> { ["/api/health"] = new { errorRate = 1, statusCode = 503 } } });
        var injected = await client.GetAsync("/api/health");

        await admin.PutAsJsonAsync("/admin/faults", new { routes = new Dictionary<string, object>() });
        var afterPut = await client.GetAsync("/api/health");
        await admin.PutAsJsonAsync("/admin/faults", new { global = new { errorRate = 1, statusCode = 500 } });
        var global = await client.GetAsync("/api/health");
        var cleared = await admin.DeleteAsync("/admin/faults");
        var afterClear = await client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, injected.StatusCode);
        Assert.Equal("true", injected.Headers.GetValues("X-Fault-Injected").Single());
        Assert.Equal(HttpStatusCode.OK, afterPut.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, global.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterClear.StatusCode);
        Assert.False(afterClear.Headers.Contains("X-Fault-Injected"));
        var scrape = await _app.ScrapeAsync();
        Assert.Equal(1, scrape.Value(Requests, ("route", "/api/health"), ("status_code", "503")));
        Assert.Equal(1, scrape.Value(Requests, ("route", "/api/health"), ("status_code", "500")));
        Assert.Equal(2, scrape.Value(Requests, ("route", "/api/health"), ("status_code", "200")));
    }

    [Fact]
    public async Task Put_SlowsTheRouteInTheHistogram_WhenARouteGetsLatency()
    {
        await _app.AdminClient().PutAsJsonAsync("/admin/faults",
            new { routes = new Dictionary<string, object> { ["/api/categories"] = new { latencyMs = 300 } } });
        var client = _app.CreateClient();
        var before = await _app.ScrapeAsync();

        var watch = Stopwatch.StartNew();
        var response = await client.GetAsync("/api/categories");
        watch.Stop();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"took {watch.Elapsed}");
        var after = await _app.ScrapeAsync();
        (string, string)[] route = [("method", "GET"), ("route", "/api/categories")];
        Assert.Equal(1, after.Value("ecommerce_api_http_request_duration_seconds_count", route) - before.Value("ecommerce_api_http_request_duration_seconds_count", route));
        Assert.True(after.Value("ecommerce_api_http_request_duration_seconds_sum", route) - before.Value("ecommerce_api_http_request_duration_seconds_sum", route) >= 0.29);
        Assert.Equal(0, after.Value("ecommerce_api_http_request_duration_seconds_bucket", [.. route, ("le", "0.25")]));
        Assert.Equal(1, after.Value("ecommerce_api_http_request_duration_seconds_bucket", [.. route, ("le", "0.5")]));
    }

    [Fact]
    public async Task Get_ShowsTheFaultsInForce_AfterAPut()
    {
        await _app.AdminClient().PutAsJsonAsync("/admin/faults", new
        {
            routes = new Dictionary<string, object> { ["/api/cart/items/{productId}"] = new { latencyMs = 800, errorRate = 0.5 } },
            global = new { latencyMs = 20 },
        });

        var current = await _app.AdminClient().GetFromJsonAsync<JsonElement>("/admin/faults");

        var rule = current.GetProperty("routes").GetProperty("/api/cart/items/{productId}");
        Assert.Equal(800, rule.GetProperty("latencyMs").GetInt32());
        Assert.Equal(0.5, rule.GetProperty("errorRate").GetDouble());
        Assert.Equal(500, rule.GetProperty("statusCode").GetInt32());
        Assert.Equal(20, current.GetProperty("global").GetProperty("latencyMs").GetInt32());
    }

    [Fact]
    public async Task GlobalRule_SparesMetricsAndAdmin_WhenEveryRequestShouldFail()
    {
        await _app.AdminClient().PutAsJsonAsync("/admin/faults", new { global = new { errorRate = 1 } });

        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.AdminClient().GetAsync("/admin/faults")).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await _app.CreateClient().GetAsync("/api/products")).StatusCode);
    }

    [Theory]
    [InlineData("rate above 1", """{"routes":{"/api/products":{"errorRate":1.5}}}""", "routes[/api/products].errorRate")]
    [InlineData("negative latency", """{"global":{"latencyMs":-5}}""", "global.latencyMs")]
    [InlineData("not a 5xx", """{"global":{"errorRate":0.1,"statusCode":404}}""", "global.statusCode")]
    [InlineData("unknown route", """{"routes":{"/api/prodcts":{"errorRate":0.5}}}""", "routes[/api/prodcts]")]
    [InlineData("a path, not a template", """{"routes":{"/api/cart/items/42":{"errorRate":0.5}}}""", "routes[/api/cart/items/42]")]
    [InlineData("metrics", """{"routes":{"/metrics":{"errorRate":0.5}}}""", "routes[/metrics]")]
    public async Task Put_Answers400AndKeepsTheFaults_WhenTheSettingsAreInvalid(string _, string json, string errorKey)
    {
        var admin = _app.AdminClient();

        var response = await admin.PutAsync("/admin/faults", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(errorKey, out JsonElement _), errors.ToString());
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/admin/faults")).GetProperty("routes").EnumerateObject());
    }

    [Fact]
    public async Task Put_Answers400_WhenAFieldIsMisspelt()
    {
        var response = await _app.AdminClient().PutAsync("/admin/faults",
            new StringContent("""{"routes":{"/api/products":{"latency":800}}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Admin_Answers401_WithoutTheAdminToken(string method)
    {
        HttpRequestMessage Request() => new(new HttpMethod(method), "/admin/faults")
        {
            Content = method == "PUT" ? JsonContent.Create(new { global = new { errorRate = 1 } }) : null,
        };
        var userToken = await _app.TokenAsync();

        var anonymous = await _app.CreateClient().SendAsync(Request());
        var wrong = await _app.ClientWith("not-the-admin-token").SendAsync(Request());
        var user = await _app.ClientWith(userToken).SendAsync(Request());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync("/api/products")).StatusCode); // nothing was injected
    }

    [Fact]
    public async Task Admin_Answers200_WhenTheTokenComesAsXAdminToken()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Token", ShopApp.AdminToken);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/faults")).StatusCode);
    }

    [Fact]
    public async Task Admin_Answers403ToRemoteClients_WhenNoAdminTokenIsConfigured()
    {
        // The in-memory test server gives requests no remote address: not loopback.
        using var app = new ShopApp(new Dictionary<string, string?> { ["ECommerce:AdminToken"] = "" });

        var response = await app.CreateClient().GetAsync("/admin/faults");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Admin_IsOpenToLoopbackClients_WhenNoAdminTokenIsConfigured()
    {
        using var app = new ShopApp(new Dictionary<string, string?> { ["ECommerce:AdminToken"] = "" });
        using var client = new HttpClient { BaseAddress = app.StartOnLoopback() };

        var response = await client.PutAsJsonAsync("/admin/faults", new { global = new { errorRate = 1, statusCode = 503 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/health")).StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

public sealed class AlertEndpointTests : IAsyncLifetime
{
    private readonly AlertRelayApp _app = new();

    public async Task InitializeAsync()
    {
        var client = _app.WebhookClient();
        foreach (var file in new[] { Fixtures.FiringSingle, Fixtures.FiringGroupOfTwo, Fixtures.GroupOneFiringOneResolved, Fixtures.ResolvedSingle, Fixtures.RefiredNewStartsAt })
        {
            var response = await client.PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<JsonElement> GetAsync(string url)
    {
        var response = await _app.ReaderClient().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string[] Routes(JsonElement page) =>
        page.GetProperty("items").EnumerateArray()
            .Select(a => $"{a.GetProperty("alertname").GetString()}:{a.GetProperty("status").GetString()}").ToArray();

    [Fact]
    public async Task List_ReturnsEveryOccurrence_NewestFirst()
    {
        var page = await GetAsync("/api/alerts");

        Assert.Equal(
            ["HighErrorRate:firing", "HighResponseTime:firing", "HighResponseTime:resolved", "HighErrorRate:resolved"],
            Routes(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("status=resolved", 2)]
    [InlineData("severity=critical", 2)]
    [InlineData("alertname=HighResponseTime", 2)]
    [InlineData("receiver=relay", 4)]
    [InlineData("receiver=nobody", 0)]
    [InlineData("filter=route%3D~%22%2Fapi%2F.*%22", 2)]
    [InlineData("filter=route%3D%22%2Fapi%2Forders%22&filter=severity%3D%22warning%22", 1)]
    [InlineData("from=2026-11-24T22:32:50Z&to=2026-11-24T22:33:00Z", 2)]
    [InlineData("from=1795559570&to=1795559580", 2)]
    public async Task List_Filters(string query, int expected)
    {
        var page = await GetAsync($"/api/alerts?{query}");

        Assert.Equal(expected, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task List_PagesWithACursor()
    {
        var first = await GetAsync("/api/alerts?limit=3");
        var second = await GetAsync($"/api/alerts?limit=3&cursor={first.GetProperty("nextCursor").GetString()}");

        Assert.Equal(3, first.GetProperty("items").GetArrayLength());
        Assert.Equal(["HighErrorRate:resolved"], Routes(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("status=pending", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=%21%21", "cursor")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-25T00:00:00Z&to=2026-11-24T00:00:00Z", "from")]
    [InlineData("filter=severity%3D%3D%22x%22", "filter")]
    [InlineData("filter=instance%3D~%22%28%22", "filter")]
    public async Task List_Answers400NamingTheParameter_WhenItIsInvalid(string query, string field)
    {
        var response = await _app.ReaderClient().GetAsync($"/api/alerts?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Get_ReturnsTheTimeline_ReceivedThenResolved()
    {
        var resolved = (await GetAsync("/api/alerts?status=resolved&alertname=HighErrorRate")).GetProperty("items")[0];

        var detail = await GetAsync($"/api/alerts/{resolved.GetProperty("id").GetInt64()}");

        Assert.Equal("76902ea1e495036c", detail.GetProperty("alert").GetProperty("fingerprint").GetString());
        Assert.Equal("2026-11-24T22:32:57.741Z", detail.GetProperty("alert").GetProperty("endsAt").GetString());
        var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["received", "routed", "resolved"], kinds);
        Assert.Equal("2026-11-24T22:32:57.741Z", detail.GetProperty("events")[2].GetProperty("detail").GetProperty("endsAt").GetString());
    }

    [Fact]
    public async Task Get_Answers404WithProblemDetails_WhenTheIdIsUnknown()
    {
        var response = await _app.ReaderClient().GetAsync("/api/alerts/424242");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Stats_CountsByStatusAndSeverity()
    {
        var stats = await GetAsync("/api/alerts/stats");

        Assert.Equal(4, stats.GetProperty("total").GetInt32());
        Assert.Equal(2, stats.GetProperty("byStatus").GetProperty("firing").GetInt32());
        Assert.Equal(2, stats.GetProperty("byStatus").GetProperty("resolved").GetInt32());
        Assert.Equal(2, stats.GetProperty("bySeverity").GetProperty("critical").GetInt32());
        // HighErrorRate 22:32:30.253 -> 22:32:57.741 and HighResponseTime 22:32:30.266 -> 22:32:44.000
        Assert.Equal((27.488 + 13.734) / 2, stats.GetProperty("meanTimeToResolveSeconds").GetDouble(), 3);
    }

    [Theory]
    [InlineData("/api/alerts", null)]
    [InlineData("/api/alerts", "wrong")]
    [InlineData("/api/alerts/1", AlertRelayApp.WebhookToken)]
    [InlineData("/api/alerts/stats", null)]
    public async Task Api_Answers401_WithoutTheReadToken(string url, string? token)
    {
        var response = await _app.ClientWith(token).GetAsync(url);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

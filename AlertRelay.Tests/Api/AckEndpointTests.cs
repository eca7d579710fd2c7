using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

public sealed class AckEndpointTests : IAsyncLifetime
{
    private readonly AlertRelayApp _app = new();
    private long _firingId;
    private long _resolvedId;

    public async Task InitializeAsync()
    {
        foreach (var file in new[] { Fixtures.FiringGroupOfTwo, Fixtures.GroupOneFiringOneResolved })
        {
            (await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json")))
                .EnsureSuccessStatusCode();
        }

        var items = (await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray().ToList();
        _firingId = items.Single(a => a.GetProperty("status").GetString() == "firing").GetProperty("id").GetInt64();
        _resolvedId = items.Single(a => a.GetProperty("status").GetString() == "resolved").GetProperty("id").GetInt64();
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string[]> TimelineAsync(long id) =>
        (await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()!).ToArray();

    [Fact]
    public async Task Post_AcknowledgesAFiringAlert_AndRecordsItOnTheTimeline()
    {
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        var response = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/ack",
            new { by = "alice", comment = "looking at the orders DB", expiresAt = expires });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ack = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ack");
        Assert.Equal("alice", ack.GetProperty("by").GetString());
        Assert.Equal("looking at the orders DB", ack.GetProperty("comment").GetString());
        Assert.Equal(expires.ToUnixTimeMilliseconds(), ack.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(["received", "routed", "acknowledged"], await TimelineAsync(_firingId));
    }

    [Fact]
    public async Task Delete_TakesTheAcknowledgementBack_ThenAnswers409()
    {
        await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/ack", new { by = "alice" });

        var first = await _app.ReaderClient().DeleteAsync($"/api/alerts/{_firingId}/ack?by=bob");
        var second = await _app.ReaderClient().DeleteAsync($"/api/alerts/{_firingId}/ack");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var alert = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{_firingId}");
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("alert").GetProperty("ack").ValueKind);
        Assert.Equal(["received", "routed", "acknowledged", "unacknowledged"], await TimelineAsync(_firingId));
    }

    [Fact]
    public async Task Post_Answers409_WhenTheAlertIsResolved()
    {
        var response = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_resolvedId}/ack", new { by = "alice" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.DoesNotContain("acknowledged", await TimelineAsync(_resolvedId));
    }

    [Fact]
    public async Task Post_Answers404_WhenTheAlertDoesNotExist()
    {
        var response = await _app.ReaderClient().PostAsJsonAsync("/api/alerts/987654/ack", new { by = "alice" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public static TheoryData<string, object, string> BadRequests => new()
    {
        { "no by", new { comment = "x" }, "by" },
        { "blank by", new { by = "  " }, "by" },
        { "expiry in the past", new { by = "alice", expiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) }, "expiresAt" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Post_Answers400NamingTheField_WhenTheRequestIsInvalid(string name, object body, string field)
    {
        var response = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/ack", body);

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, name);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(["received", "routed"], await TimelineAsync(_firingId));
    }

    [Fact]
    public async Task Post_Answers401_WithoutTheApiToken()
    {
        var response = await _app.ClientWith(AlertRelayApp.WebhookToken).PostAsJsonAsync($"/api/alerts/{_firingId}/ack", new { by = "mallory" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Tests.Api;

public sealed class WebhookEndpointTests : IDisposable
{
    private readonly AlertRelayApp _app = new();

    public void Dispose() => _app.Dispose();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private Task<int> StoredCountAsync() => StoredCountAsync(_app);

    private static async Task<int> StoredCountAsync(AlertRelayApp app)
    {
        var page = await app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?limit=1000");
        return page.GetProperty("items").GetArrayLength();
    }

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public async Task Post_StoresTheCapturedBody_AndTheApiReadsItBack(string file)
    {
        var response = await _app.WebhookClient().PostAsync("/webhook", Json(Fixtures.Text(file)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(Fixtures.Text(file));
        foreach (var alert in sent.RootElement.GetProperty("alerts").EnumerateArray())
        {
            var fingerprint = alert.GetProperty("fingerprint").GetString()!;
            var alertname = alert.GetProperty("labels").GetProperty("alertname").GetString()!;
            var instance = alert.GetProperty("labels").GetProperty("instance").GetString()!;
            var page = await _app.ReaderClient().GetFromJsonAsync<JsonElement>(
                $"/api/alerts?alertname={alertname}&filter={Uri.EscapeDataString($"instance=\"{instance}\"")}");
            var stored = page.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("fingerprint").GetString() == fingerprint);

            Assert.Equal(alert.GetProperty("status").GetString(), stored.GetProperty("status").GetString());
            Assert.Equal(alert.GetProperty("labels").GetRawText(), stored.GetProperty("labels").GetRawText());
            Assert.Equal(alert.GetProperty("annotations").GetRawText(), stored.GetProperty("annotations").GetRawText());
            Assert.Equal(
                DateTimeOffset.Parse(alert.GetProperty("startsAt").GetString()![..23] + "Z").ToUnixTimeMilliseconds(),
                stored.GetProperty("startsAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
            Assert.Equal("relay", stored.GetProperty("receiver").GetString());

            var detail = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{stored.GetProperty("id").GetInt64()}");
            Assert.Equal("received", detail.GetProperty("events")[0].GetProperty("kind").GetString());
        }
    }

    [Fact]
    public async Task Post_AnswersWhatChanged_AndDropsTheHaTwin()
    {
        var client = _app.WebhookClient();

        var first = await client.PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringGroupOfTwo)));
        var twin = await client.PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringGroupOfTwo)));

        Assert.Equal("""{"alerts":2,"created":2,"changed":0,"duplicates":0}""", await first.Content.ReadAsStringAsync());
        Assert.Equal("""{"alerts":2,"created":0,"changed":0,"duplicates":2}""", await twin.Content.ReadAsStringAsync());
        Assert.Equal(2, await StoredCountAsync());
    }

    [Fact]
    public async Task Post_ParsesTheBodyAsJson_WhateverContentTypeAScriptSends()
    {
        // curl --data sends application/x-www-form-urlencoded; a CI script may send nothing at all.
        var content = new ByteArrayContent(Fixtures.Bytes(Fixtures.FiringSingle));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        var response = await _app.WebhookClient().PostAsync("/webhook", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await StoredCountAsync());
    }

    [Fact]
    public async Task Post_StoresOneOccurrence_WhenManyIdenticalPostsRaceThroughTheHost()
    {
        var client = _app.WebhookClient();
        var body = Fixtures.Text(Fixtures.FiringSingle);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => client.PostAsync("/webhook", Json(body))));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Accepted })); // 202: queued behind the others
        await _app.InboxAppliedAsync();
        Assert.Equal(1, await StoredCountAsync());
        var page = await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts");
        var id = page.GetProperty("items")[0].GetProperty("id").GetInt64();
        var detail = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal(["received", "routed"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToArray());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "malformed JSON", """{"version":"4","alerts":[""", "$" },
        { "wrong version", Fixtures.Text(Fixtures.FiringSingle).Replace("\"version\":\"4\"", "\"version\":\"5\""), "version" },
        { "unknown status", Fixtures.Text(Fixtures.FiringSingle).Replace("\"status\":\"firing\",\"alerts\"", "\"status\":\"burning\",\"alerts\""), "status" },
        { "empty label set", Fixtures.Text(Fixtures.FiringSingle).Replace("\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"api:3000\",\"job\":\"ecommerce-api\",\"severity\":\"critical\"}", "\"labels\":{}"), "alerts[0].labels" },
        { "unparsable startsAt", Fixtures.Text(Fixtures.FiringSingle).Replace("2026-11-24T22:32:30.253459502Z", "24/11/2026"), "alerts[0].startsAt" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Post_Answers400WithProblemDetailsNamingTheField_AndStoresNothing(string name, string body, string field)
    {
        var response = await _app.WebhookClient().PostAsync("/webhook", Json(body));

        Assert.True(HttpStatusCode.BadRequest == response.StatusCode, name);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{name}: {problem}");
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task Post_StoresNothingFromTheBody_WhenOneOfItsAlertsIsBad()
    {
        var body = JsonNode.Parse(Fixtures.Text(Fixtures.FiringGroupOfTwo))!;
        body["alerts"]![1]!["startsAt"] = "not a time";

        var response = await _app.WebhookClient().PostAsync("/webhook", Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task Post_Answers413_WhenTheBodyIsOverTheLimit()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Ingest:MaxBodyBytes"] = "2048" });
        var body = JsonNode.Parse(Fixtures.Text(Fixtures.FiringSingle))!;
        body["alerts"]![0]!["annotations"]!["description"] = new string('x', 4096);

        var response = await app.WebhookClient().PostAsync("/webhook", Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task Post_Answers413_WhenAChunkedBodyGrowsOverTheLimit()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Ingest:MaxBodyBytes"] = "2048" });
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Fixtures.Text(Fixtures.FiringSingle) + new string(' ', 4096))));
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await app.WebhookClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("s3cret-token-but-longer")]
    [InlineData(AlertRelayApp.ReadToken)]
    public async Task Post_Answers401AndStoresNothing_WhenTheTokenIsMissingOrWrong(string? token)
    {
        var response = await _app.ClientWith(token).PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringSingle)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain(AlertRelayApp.WebhookToken, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await StoredCountAsync());
    }

    [Fact]
    public async Task Post_IsOpen_WhenNoTokenIsConfigured()
    {
        using var app = new AlertRelayApp(withTokens: false);

        var response = await app.ClientWith(null).PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringSingle)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_Answers503SoThatAlertmanagerRetries_WhenTheStoreCannotCommit()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Database:BusyTimeoutSeconds"] = "1" });
        var client = app.WebhookClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode); // start the host, create the file

        HttpResponseMessage locked;
        var inbox = AlertRelay.Core.History.HistoryDatabase.InboxPathOf(app.DatabasePath); // where the webhook is stored before the 2xx
        await using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={inbox}"))
        {
            await blocker.OpenAsync();
            await using var transaction = blocker.BeginTransaction(deferred: false); // another process holding the write lock
            locked = await client.PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringSingle)));
        }

        var retried = await client.PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringSingle)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("""{"alerts":1,"created":1,"changed":0,"duplicates":0}""", await retried.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Post_Answers202Queued_AndAppliesTheBodyAfter_WhenTheAnswerDoesNotWaitForTheWriter()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Ingest:ApplyWaitMilliseconds"] = "0" });

        var response = await app.WebhookClient().PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringGroupOfTwo)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var queued = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, queued.RootElement.GetProperty("alerts").GetInt32());
        Assert.True(queued.RootElement.GetProperty("queued").GetBoolean());
        Assert.True(queued.RootElement.GetProperty("inboxId").GetInt64() > 0);
        await app.InboxAppliedAsync();
        var page = await app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts");
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Post_Answers503WithRetryAfter_AndStoresNothing_WhenTheInboxIsFull()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Ingest:MaxBacklogAlerts"] = "1000" });
        var client = app.WebhookClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var handoff = app.Services.GetRequiredService<AlertRelay.Core.Ingest.InboxHandoff>();
        handoff.Observed(new AlertRelay.Core.Ingest.InboxBacklog(1, 1, 1000)); // another replica's storm, as read from the store

        var refused = await client.PostAsync("/webhook", Json(Fixtures.Text(Fixtures.FiringSingle)));
        var ready = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("nothing from this request was stored", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("the inbox is full", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await StoredCountAsync(app));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

public sealed class HostEndpointTests : IDisposable
{
    private readonly AlertRelayApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Healthz_And_Readyz_AnswerOk_WithoutAToken()
    {
        var client = _app.ClientWith(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }

    [Fact]
    public async Task Readyz_Answers503_WhenTheDatabaseFileIsNotADatabase()
    {
        var client = _app.ClientWith(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_app.DatabasePath + "-wal");
        File.Delete(_app.DatabasePath + "-shm");
        await File.WriteAllTextAsync(_app.DatabasePath, new string('x', 8192));

        var response = await client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_DescribesTheWebhookAndTheQueryApi()
    {
        var document = await _app.ClientWith(null).GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/webhook", out var webhook));
        Assert.True(webhook.GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.True(paths.TryGetProperty("/api/alerts", out _));
        Assert.True(paths.TryGetProperty("/api/alerts/{id}", out _));
        Assert.True(paths.TryGetProperty("/api/alerts/stats", out _));
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task ReferencePage_IsServed()
    {
        var response = await _app.ClientWith(null).GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_CountWebhooksStoredAlertsDuplicatesAndRejections()
    {
        var webhook = _app.WebhookClient();
        var body = new StringContent(Fixtures.Text(Fixtures.FiringSingle), Encoding.UTF8, "application/json");
        await webhook.PostAsync("/webhook", body);
        await webhook.PostAsync("/webhook", new StringContent(Fixtures.Text(Fixtures.FiringSingle), Encoding.UTF8, "application/json"));
        await webhook.PostAsync("/webhook", new StringContent("{", Encoding.UTF8, "application/json"));
        await webhook.PostAsync("/webhook", new StringContent(
            Fixtures.Text(Fixtures.FiringGroupOfTwo).Replace("\"truncatedAlerts\":0", "\"truncatedAlerts\":3"), Encoding.UTF8, "application/json"));

        var metrics = await _app.ClientWith(null).GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^alertrelay_webhooks_received_total [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_alerts_stored_total [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_alerts_duplicate_total [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_requests_rejected_total\{reason=""malformed_json""\} [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_alerts_truncated_total [1-9]", metrics);
        Assert.Matches(@"(?m)^alertrelay_webhook_duration_seconds_count\{code=""200""\} [1-9]", metrics);
    }
}

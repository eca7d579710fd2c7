using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.History;
using AlertRelay.Testing;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>The host's ingest worker confirms a re-open candidate when its grace ends, with no webhook arriving.</summary>
public sealed class ReopenGraceHostTests : IDisposable
{
    private readonly AlertRelayApp _app = new(new Dictionary<string, string?> { ["AlertRelay:Ingest:ReopenGraceSeconds"] = "1" });

    public void Dispose() => _app.Dispose();

    private async Task PostAsync(string file)
    {
        var response = await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    private async Task<(string Status, string[] Events)> AlertAsync()
    {
        var page = await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts");
        var id = page.GetProperty("items")[0].GetProperty("id").GetInt64();
        var alert = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        return (alert.GetProperty("alert").GetProperty("status").GetString()!,
            alert.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).Where(k => k != EventKinds.Routed).ToArray());
    }

    [Fact]
    public async Task IngestWorker_ConfirmsTheReopen_WhenTheGraceEndsWithoutAResolve()
    {
        await PostAsync(Fixtures.FiringSingle);
        await PostAsync(Fixtures.ResolvedSingle);
        await PostAsync(Fixtures.FiringSingle);

        await Eventually.UntilAsync(async () => (await AlertAsync()).Status == "firing", TimeSpan.FromSeconds(20), "the re-open to be confirmed");

        Assert.Equal([EventKinds.Received, EventKinds.Resolved, EventKinds.ReopenPending, EventKinds.Reopened], (await AlertAsync()).Events);
    }
}

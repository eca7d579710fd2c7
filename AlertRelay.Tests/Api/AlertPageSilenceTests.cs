using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace AlertRelay.Tests.Api;

/// <summary>The alert page's Silence 1h and Unsilence with Alertmanager configured (the stub speaks its API v2).</summary>
public sealed class AlertPageSilenceTests : IAsyncLifetime
{
    private AlertmanagerStub _alertmanager = null!;
    private AlertRelayApp _app = null!;
    private HttpClient _browser = null!;
    private long _id;

    public async Task InitializeAsync()
    {
        _alertmanager = await AlertmanagerStub.StartAsync();
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:Links:Secret"] = "test-links-secret-of-at-least-32-bytes!",
            ["AlertRelay:PublicUrl"] = "https://relay.example.com",
            ["AlertRelay:Alertmanager:Urls:0"] = _alertmanager.Url,
        });
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(Fixtures.FiringSingle), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        _id = (await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items")[0].GetProperty("id").GetInt64();
        _browser = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _alertmanager.DisposeAsync();
    }

    private AlertLinks Links => Assert.IsType<AlertLinks>(_app.Services.GetRequiredService<IAlertLinks>());

    private async Task<HttpResponseMessage> PostAsync(Uri link, string by)
    {
        var query = QueryHelpers.ParseQuery(link.Query);
        return await _browser.PostAsync($"/alerts/{_id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["action"] = query["action"]!, ["exp"] = query["exp"]!, ["sig"] = query["sig"]!, ["by"] = by,
        }));
    }

    [Fact]
    public async Task Post_SilencesForAnHour_ThenThePageShowsTheSilenceAndOffersUnsilence()
    {
        var response = await PostAsync(Links.Action(_id, OncallActionKind.Silence, DateTimeOffset.UtcNow)!, "Carol");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var silence = Assert.Single(_alertmanager.Silences);
        Assert.Contains($"Silenced by Carol until", await response.Content.ReadAsStringAsync());
        var page = await _browser.GetStringAsync(Links.Page(_id, DateTimeOffset.UtcNow)!.PathAndQuery);
        Assert.Contains($"silence {silence.Id} by Carol until", page);
        Assert.Contains(">Unsilence</button>", page);
        Assert.DoesNotContain(">Silence 1h</button>", page);
    }
}

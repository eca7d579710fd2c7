using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Api.Hosting;
using AlertRelay.Core.Oncall;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.Api;

/// <summary><c>POST</c>/<c>DELETE /api/alerts/{id}/silence</c> on the real host, with a dead URL then a loopback Alertmanager configured.</summary>
public sealed class SilenceEndpointTests : IAsyncLifetime
{
    private AlertmanagerStub _alertmanager = null!;
    private AlertRelayApp _app = null!;
    private long _firingId;
    private long _resolvedId;

    public async Task InitializeAsync()
    {
        _alertmanager = await AlertmanagerStub.StartAsync();
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:Alertmanager:Urls:0"] = $"http://127.0.0.1:{FreePort.Get()}",
            ["AlertRelay:Alertmanager:Urls:1"] = _alertmanager.Url,
            ["AlertRelay:Alertmanager:SilenceExcludedLabels:0"] = "instance",
        });
        (_firingId, _resolvedId) = await SeedAsync(_app);
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _alertmanager.DisposeAsync();
    }

    private static async Task<(long Firing, long Resolved)> SeedAsync(AlertRelayApp app)
    {
        foreach (var file in new[] { Fixtures.FiringGroupOfTwo, Fixtures.GroupOneFiringOneResolved })
        {
            (await app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(file), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        }

        var items = (await app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items").EnumerateArray().ToList();
        return (items.Single(a => a.GetProperty("status").GetString() == "firing").GetProperty("id").GetInt64(),
            items.Single(a => a.GetProperty("status").GetString() == "resolved").GetProperty("id").GetInt64());
    }

    private async Task<JsonElement> AlertAsync(long id) => await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");

    [Fact]
    public async Task Post_CreatesTheSilence_Answers201WithItsId_AndTheAlertShowsIt()
    {
        var before = DateTimeOffset.UtcNow;

        var response = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "alice", duration = "1h30m", comment = "disk swap" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/alerts/{_firingId}", response.Headers.Location?.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var created = Assert.Single(_alertmanager.Silences);
        Assert.Equal(created.Id, body.GetProperty("silenceId").GetString());
        Assert.InRange(body.GetProperty("endsAt").GetDateTimeOffset() - before, TimeSpan.FromMinutes(89), TimeSpan.FromMinutes(91));
        Assert.Equal(("alice", "disk swap"), (created.CreatedBy, created.Comment));
        Assert.DoesNotContain(created.Matchers, m => m.Name == "instance");
        var alert = await AlertAsync(_firingId);
        Assert.Equal(created.Id, alert.GetProperty("alert").GetProperty("silence").GetProperty("silenceId").GetString());
        Assert.Contains("silenced", alert.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Post_Answers200WithTheSameSilence_WhenAlreadySilenced()
    {
        var first = await (await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "alice", duration = "1h" }))
            .Content.ReadFromJsonAsync<JsonElement>();

        var again = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "bob", duration = "2h" });

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("silenceId").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("silenceId").GetString());
        Assert.Single(_alertmanager.Silences);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "no by", """{"duration":"1h"}""", "by" },
        { "blank by", """{"by":"  ","duration":"1h"}""", "by" },
        { "no duration", """{"by":"alice"}""", "duration" },
        { "not a Prometheus duration", """{"by":"alice","duration":"1 hour"}""", "duration" },
        { "zero", """{"by":"alice","duration":"0"}""", "duration" },
        { "longer than 7d", """{"by":"alice","duration":"7d1m"}""", "duration" },
        { "a comment too long", $$"""{"by":"alice","duration":"1h","comment":"{{new string('x', 2001)}}"}""", "comment" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Post_Answers400NamingTheField_WhenTheRequestIsInvalid(string name, string json, string field)
    {
        var response = await _app.ReaderClient().PostAsync($"/api/alerts/{_firingId}/silence", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {response.StatusCode}");
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{name}: {errors}");
        Assert.Empty(_alertmanager.Requests);
    }

    [Fact]
    public async Task Post_Answers404And409_ForAnUnknownOrResolvedAlert()
    {
        var unknown = await _app.ReaderClient().PostAsJsonAsync("/api/alerts/999999/silence", new { by = "alice", duration = "1h" });
        var resolved = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_resolvedId}/silence", new { by = "alice", duration = "1h" });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Conflict), (unknown.StatusCode, resolved.StatusCode));
        Assert.Empty(_alertmanager.Requests);
    }

    [Fact]
    public async Task Post_Answers503WithTheReason_WhenNoAlertmanagerAnswers()
    {
        _alertmanager.FailAll(503);

        var response = await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "alice", duration = "1h" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("no Alertmanager answered", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(JsonValueKind.Null, (await AlertAsync(_firingId)).GetProperty("alert").GetProperty("silence").ValueKind);
    }

    [Fact]
    public async Task Delete_ExpiresTheSilence_Answers204_ThenAnswers409()
    {
        await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "alice", duration = "1h" });

        var first = await _app.ReaderClient().DeleteAsync($"/api/alerts/{_firingId}/silence?by=bob");
        var second = await _app.ReaderClient().DeleteAsync($"/api/alerts/{_firingId}/silence");

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        Assert.Equal("expired", Assert.Single(_alertmanager.Silences).State(DateTimeOffset.UtcNow));
        var alert = await AlertAsync(_firingId);
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("alert").GetProperty("silence").ValueKind);
        var unsilenced = alert.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "unsilenced");
        Assert.Equal("bob", unsilenced.GetProperty("detail").GetProperty("by").GetString());
    }

    [Fact]
    public async Task Post_Answers503_WhenSilencesAreNotConfigured()
    {
        using var app = new AlertRelayApp();
        var (firing, _) = await SeedAsync(app);

        var response = await app.ReaderClient().PostAsJsonAsync($"/api/alerts/{firing}/silence", new { by = "alice", duration = "1h" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("AlertRelay:Alertmanager:Urls", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_Answers401_WithoutTheReadToken()
    {
        var response = await _app.ClientWith(null).PostAsJsonAsync($"/api/alerts/{_firingId}/silence", new { by = "alice", duration = "1h" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_alertmanager.Requests);
    }

    [Fact]
    public void Options_FailNamingTheSetting_WhenAUrlIsInvalid()
    {
        // In process the host's start-up catch turns this into one line and exit 1 (AlertRelay.IntegrationTests: SilenceStartupTests).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AlertRelay:Alertmanager:Urls:0"] = "am-1:9093" }).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddSilences().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AlertmanagerOptions>>().Value);

        Assert.Contains("AlertRelay:Alertmanager:Urls:0: \"am-1:9093\" is not an absolute http(s) URL", error.Message);
    }

    [Fact]
    public async Task Start_WarnsOnce_WhenSilencesAreNotConfigured()
    {
        var logs = new FakeLogCollector();
        using var app = new AlertRelayApp().WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(new FakeLoggerProvider(logs))));
        using var client = app.CreateClient();

        (await client.GetAsync("/healthz")).Dispose();

        Assert.Single(logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.StartsWith("Silences are off", StringComparison.Ordinal));
    }
}

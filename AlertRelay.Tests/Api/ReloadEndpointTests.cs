using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>The configuration file through the real host: loaded at start-up, reloaded by POST /-/reload, an invalid one rejected.</summary>
public sealed class ReloadEndpointTests : IDisposable
{
    private const string FirstConfig = """
        route:
          receiver: team-email
          routes:
            - matchers: ['severity="critical"']
              receiver: oncall-slack
        receivers:
          - name: team-email
          - name: oncall-slack
        """;

    private const string SecondConfig = """
        route:
          receiver: team-email
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
        receivers:
          - name: team-email
          - name: pager
        """;

    private readonly string _configPath;
    private readonly AlertRelayApp _app;

    public ReloadEndpointTests()
    {
        _configPath = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N") + ".yml");
        Directory.CreateDirectory(Path.GetDirectoryName(_configPath)!);
        File.WriteAllText(_configPath, FirstConfig);
        _app = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = _configPath });
    }

    public void Dispose()
    {
        _app.Dispose();
        File.Delete(_configPath);
    }

    private async Task<string[]> ReceiversOfNewAlertAsync(string alertname)
    {
        var body = Fixtures.Text(Fixtures.FiringSingle).Replace("HighErrorRate", alertname);
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var page = await _app.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}");
        return page.GetProperty("items")[0].GetProperty("receivers").EnumerateArray().Select(r => r.GetString()!).ToArray();
    }

    [Fact]
    public async Task Reload_PutsTheNewFileInForce()
    {
        Assert.Equal(["oncall-slack"], await ReceiversOfNewAlertAsync("Before"));
        await File.WriteAllTextAsync(_configPath, SecondConfig);

        var response = await _app.ReaderClient().PostAsync("/-/reload", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["pager"], await ReceiversOfNewAlertAsync("After"));
        Assert.Matches(@"(?m)^alertrelay_config_reloads_total\{outcome=""success""\} [1-9]", await _app.ClientWith(null).GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Reload_RejectsAnInvalidFile_AndKeepsTheRunningConfiguration()
    {
        Assert.Equal(["oncall-slack"], await ReceiversOfNewAlertAsync("Before")); // started on the first file
        await File.WriteAllTextAsync(_configPath, SecondConfig.Replace("receiver: pager", "receiver: nobody"));

        var response = await _app.ReaderClient().PostAsync("/-/reload", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray()).GetString()!;
        Assert.Contains(":5:", error); // file:line
        Assert.Contains("nobody", error);
        Assert.Equal(["oncall-slack"], await ReceiversOfNewAlertAsync("StillOld"));
        // (The reload gauges are process-wide and other tests' hosts set them too: not asserted here.)
    }

    [Fact]
    public async Task Reload_Answers401_WithoutTheApiToken()
    {
        var response = await _app.ClientWith(AlertRelayApp.WebhookToken).PostAsync("/-/reload", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public void Startup_Fails_WhenTheConfigurationFileIsInvalid()
    {
        File.WriteAllText(_configPath, "route:\n  receiver: ghost\n  bogus_key: 1\n");
        using var app = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = _configPath });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ghost", error.ToString());
        Assert.Contains("bogus_key", error.ToString());
    }

    [Fact]
    public void Startup_Fails_WhenAnExplicitlyConfiguredFileIsMissing()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = _configPath + ".missing" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("not found", error.ToString());
    }
}

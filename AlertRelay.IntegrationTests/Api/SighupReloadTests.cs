using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>The built AlertRelay.Api run as its own process: SIGHUP reloads the configuration and does not stop it.</summary>
public sealed class SighupReloadTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "sighup-" + Guid.NewGuid().ToString("N"));
    private ServerProcess _relay = null!;

    private string ConfigPath => Path.Combine(_directory, "alertrelay.yml");

    private static string Config(string criticalReceiver) => $"""
        route:
          receiver: team-email
          routes:
            - matchers: ['severity="critical"']
              receiver: {criticalReceiver}
        receivers:
          - name: team-email
          - name: {criticalReceiver}
        """;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(ConfigPath, Config("oncall-slack"));
        _relay = await ServerProcess.StartDotnetAsync(
            Path.Combine(AppContext.BaseDirectory, "AlertRelay.Api.dll"),
            FreePort.Get(),
            "/readyz",
            new Dictionary<string, string>
            {
                ["AlertRelay__ConfigFile"] = ConfigPath,
                ["AlertRelay__Database__Path"] = Path.Combine(_directory, "history.db"),
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            });
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> ReceiversOfNewAlertAsync(string alertname)
    {
        var body = Fixtures.Text(Fixtures.FiringSingle).Replace("HighErrorRate", alertname);
        (await _relay.Client.PostAsync("/webhook", new StringContent(body, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var page = await _relay.Client.GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}");
        return string.Join(",", page.GetProperty("items")[0].GetProperty("receivers").EnumerateArray().Select(r => r.GetString()));
    }

    private async Task HangUpAndWaitForReloadAsync(string outcome)
    {
        var before = await _relay.MetricAsync("alertrelay_config_reloads_total", $"outcome=\"{outcome}\"");
        await _relay.SignalAsync("HUP");
        await Eventually.UntilAsync(
            async () => await _relay.MetricAsync("alertrelay_config_reloads_total", $"outcome=\"{outcome}\"") > before,
            TimeSpan.FromSeconds(10), $"a {outcome} reload after SIGHUP", () => _relay.Output);
    }

    [Fact]
    public async Task Sighup_ReloadsTheFile_AndKeepsTheProcessRunning()
    {
        Assert.Equal("oncall-slack", await ReceiversOfNewAlertAsync("BeforeHup"));
        await File.WriteAllTextAsync(ConfigPath, Config("pager"));

        await HangUpAndWaitForReloadAsync("success");

        Assert.False(_relay.HasExited);
        Assert.Equal("pager", await ReceiversOfNewAlertAsync("AfterHup"));
        Assert.Equal(1, await _relay.MetricAsync("alertrelay_config_last_reload_successful"));
    }

    [Fact]
    public async Task Sighup_KeepsTheRunningConfiguration_WhenTheNewFileIsInvalid()
    {
        await File.WriteAllTextAsync(ConfigPath, Config("pager") + "\n  - name: pager\n"); // duplicate receiver

        await HangUpAndWaitForReloadAsync("failure");

        Assert.False(_relay.HasExited);
        Assert.Equal("oncall-slack", await ReceiversOfNewAlertAsync("AfterBadHup"));
        Assert.Equal(0, await _relay.MetricAsync("alertrelay_config_last_reload_successful"));
        // The console logger writes asynchronously.
        await Eventually.UntilAsync(() => _relay.Output.Contains("duplicate receiver name"), TimeSpan.FromSeconds(5), "the log to name the duplicate receiver", () => _relay.Output);
        Assert.True(_relay.Output.Contains("duplicate receiver name"), _relay.Output);
    }
}

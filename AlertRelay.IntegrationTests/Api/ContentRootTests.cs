using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AlertRelay.Tests.TestData;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>
/// The built AlertRelay.Api.dll started from another directory, as a systemd unit without WorkingDirectory starts it:
/// appsettings.json is read from the application's directory (the content root), and relative paths in settings and in
/// the YAML file resolve against it, never against the working directory. The working directory holds decoys at the
/// same relative paths (an invalid configuration, wrong tokens): reading any of them fails the test.
/// </summary>
public sealed class ContentRootTests : IDisposable
{
    private const string WebhookToken = "webhook-token-in-content-root";
    private const string SlackToken = "xoxb-token-in-content-root";

    // Relative paths, unique per test: the content root is AlertRelay.Api's build output, shared with other tests.
    private readonly string _name = "content-root-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "started-elsewhere-" + Guid.NewGuid().ToString("N"));

    public ContentRootTests()
    {
        Directory.CreateDirectory(Path.Combine(_workingDirectory, _name));
        File.WriteAllText(Path.Combine(_workingDirectory, "alertrelay.yml"), "route: [this is not a configuration");
        File.WriteAllText(Path.Combine(_workingDirectory, ConfigFile), "route: [this is not a configuration");
        File.WriteAllText(Path.Combine(_workingDirectory, WebhookTokenFile), "decoy-webhook-token");
        File.WriteAllText(Path.Combine(_workingDirectory, SlackTokenFile), "xoxb-decoy");
        Directory.CreateDirectory(InContentRoot(_name));
    }

    private string Database => $"{_name}/data/alertrelay.db";

    private string ConfigFile => $"{_name}/relay.yml";

    private string WebhookTokenFile => $"{_name}/webhook-token";

    private string SlackTokenFile => $"{_name}/slack-token";

    private string[] Decoys => [.. new[] { "alertrelay.yml", ConfigFile, WebhookTokenFile, SlackTokenFile }.Select(p => Path.Combine(_workingDirectory, p))];

    public void Dispose()
    {
        Directory.Delete(_workingDirectory, recursive: true);
        Directory.Delete(InContentRoot(_name), recursive: true);
    }

    private static string InContentRoot(string relative) => Path.GetFullPath(relative, AlertRelayCommand.ApplicationDirectory);

    private ServerProcess Launch(int port, Dictionary<string, string> settings)
    {
        var url = $"http://127.0.0.1:{port}";
        settings["ASPNETCORE_URLS"] = url; // honoured: the default listen address is no longer in appsettings.json, which would override it
        return ServerProcess.Launch(AlertRelayCommand.Dotnet, [AlertRelayCommand.Dll], url, settings, _workingDirectory);
    }

    private static async Task<string> StopAsync(ServerProcess relay)
    {
        await relay.SignalAsync("TERM"); // a graceful stop writes out every queued log line
        await Eventually.UntilAsync(() => relay.HasExited, TimeSpan.FromSeconds(30), "AlertRelay to stop on SIGTERM", () => relay.Output);
        await relay.DisposeAsync(); // reads the output to its end
        return relay.Output;
    }

    [Fact]
    public async Task Server_ReadsAppSettingsAndKeepsItsFilesInItsDirectory_WhenStartedFromElsewhere()
    {
        // No settings but a port and a relative database path.
        var relay = Launch(FreePort.Get(), new() { ["AlertRelay__Database__Path"] = Database });
        string output;
        try
        {
            await relay.WaitUntilReadyAsync("/readyz", TimeSpan.FromSeconds(30));
            using var response = await relay.Client.PostAsync("/webhook", new StringContent(Fixtures.Text(Fixtures.FiringSingle), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        finally
        {
            output = await StopAsync(relay);
        }

        Assert.Contains($"Content root path: {AlertRelayCommand.ApplicationDirectory}", output, StringComparison.Ordinal);
        Assert.Contains("Application is shutting down", output, StringComparison.Ordinal);
        // appsettings.json sets Microsoft.AspNetCore to Warning; without it every request logs "Request starting/finished" at Information.
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", output, StringComparison.Ordinal);
        // The relative database path and the default configuration file are in the content root; the working
        // directory's invalid alertrelay.yml was not read (AlertRelay refuses to start on an invalid file).
        Assert.True(File.Exists(InContentRoot(Database)), output);
        Assert.Contains($"History database: {InContentRoot(Database)}", output, StringComparison.Ordinal);
        Assert.Contains($"No configuration file at {InContentRoot("alertrelay.yml")}", output, StringComparison.Ordinal);
        Assert.Equal(Decoys.Order(), Directory.EnumerateFiles(_workingDirectory, "*", SearchOption.AllDirectories).Order());
    }

    [Fact]
    public async Task RelativePaths_ResolveAgainstTheContentRoot_ForSettingsTheYamlFileAndTheCommandsDefaults()
    {
        await using var slack = await SlackStub.StartAsync(SlackToken);
        await File.WriteAllTextAsync(InContentRoot(ConfigFile), $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    bot_token_file: {SlackTokenFile}
                    api_base_url: {slack.BaseUrl}
            """);
        await File.WriteAllTextAsync(InContentRoot(WebhookTokenFile), WebhookToken + "\n");
        await File.WriteAllTextAsync(InContentRoot(SlackTokenFile), SlackToken + "\n");
        var settings = new Dictionary<string, string>
        {
            ["AlertRelay__Database__Path"] = Database,
            ["AlertRelay__ConfigFile"] = ConfigFile,
            ["AlertRelay__Auth__WebhookTokenFile"] = WebhookTokenFile,
        };

        var relay = Launch(FreePort.Get(), new(settings));
        try
        {
            await relay.WaitUntilReadyAsync("/readyz", TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(relay, "decoy-webhook-token"));
            Assert.Equal(HttpStatusCode.OK, await PostAsync(relay, WebhookToken));
            await Eventually.UntilAsync(() => slack.TopLevelMessages.Count == 1, TimeSpan.FromSeconds(15), "the Slack message, sent with the content root's bot_token_file", () => relay.Output);
            Assert.All(slack.Requests, request => Assert.Equal($"Bearer {SlackToken}", request.Authorization));

            // The commands' defaults are the server's (relative to the content root); a file named on the command line is relative to the working directory.
            var routes = await AlertRelayCommand.RunAsync(_workingDirectory, settings, "routes", "test", "alertname=Anything");
            Assert.Equal((0, "oncall\n"), (routes.ExitCode, routes.Output + routes.Error));
            var backup = await AlertRelayCommand.RunAsync(_workingDirectory, settings, "history", "backup", "--to", "backup.db");
            Assert.Equal(
                (0, $"Backed up {InContentRoot(Database)} to {Path.Combine(_workingDirectory, "backup.db")}\n"),
                (backup.ExitCode, backup.Output + backup.Error));
        }
        finally
        {
            await StopAsync(relay);
        }
    }

    /// <summary>How the operator names the content root: on the command line or in the environment.</summary>
    public sealed record OperatorCase(string Name, bool OnCommandLine)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<OperatorCase> OperatorCases() =>
    [
        new("--contentRoot", OnCommandLine: true),
        new("ASPNETCORE_CONTENTROOT", OnCommandLine: false),
    ];

    [Theory]
    [MemberData(nameof(OperatorCases))]
    public async Task ContentRoot_IsTheOperators_WhenSet(OperatorCase testCase)
    {
        var site = Path.Combine(_workingDirectory, "site");
        Directory.CreateDirectory(site);
        File.Copy(Path.Combine(AlertRelayCommand.ApplicationDirectory, "appsettings.json"), Path.Combine(site, "appsettings.json"));
        var url = $"http://127.0.0.1:{FreePort.Get()}";
        var settings = new Dictionary<string, string> { ["AlertRelay__Database__Path"] = Database };
        if (!testCase.OnCommandLine)
        {
            settings["ASPNETCORE_CONTENTROOT"] = site;
        }

        var relay = ServerProcess.Launch(
            AlertRelayCommand.Dotnet, [AlertRelayCommand.Dll, "--urls", url, .. testCase.OnCommandLine ? new[] { "--contentRoot", site } : []], url, settings, _workingDirectory);
        string output;
        try
        {
            await relay.WaitUntilReadyAsync("/readyz", TimeSpan.FromSeconds(30));
        }
        finally
        {
            output = await StopAsync(relay);
        }

        Assert.Contains($"Content root path: {site}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(site, Database)), output);
        Assert.False(File.Exists(InContentRoot(Database)), output);
    }

    private static async Task<HttpStatusCode> PostAsync(ServerProcess relay, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook")
        {
            Content = new StringContent(Fixtures.Text(Fixtures.FiringSingle), Encoding.UTF8, "application/json"),
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
        };
        using var response = await relay.Client.SendAsync(request);
        return response.StatusCode;
    }
}

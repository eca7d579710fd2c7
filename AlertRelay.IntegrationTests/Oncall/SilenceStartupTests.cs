using AlertRelay.IntegrationTests.Api;

namespace AlertRelay.IntegrationTests.Oncall;

/// <summary>The built AlertRelay.Api.dll with an Alertmanager URL it cannot use: one line naming the setting, no stack trace, exit code 1.</summary>
public sealed class SilenceStartupTests : IDisposable
{
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "silence-startup-" + Guid.NewGuid().ToString("N"));

    public SilenceStartupTests() => Directory.CreateDirectory(_workingDirectory);

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "no scheme", "alertmanager:9093", "AlertRelay:Alertmanager:Urls:1: \"alertmanager:9093\" is not an absolute http(s) URL" },
        { "a password", "http://admin:hunter2@alertmanager:9093", "AlertRelay:Alertmanager:Urls:1: must not carry user info" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Start_PrintsOneLineNamingTheSetting_AndExits1_WhenAnAlertmanagerUrlIsInvalid(string name, string url, string expected)
    {
        var environment = new Dictionary<string, string>
        {
            ["AlertRelay__Database__Path"] = Path.Combine(_workingDirectory, "alertrelay.db"),
            ["AlertRelay__Alertmanager__Urls__0"] = "http://alertmanager-1:9093",
            ["AlertRelay__Alertmanager__Urls__1"] = url,
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
        };

        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(_workingDirectory, environment);

        Assert.True(exitCode == 1, $"{name}: exit code {exitCode}:\n{output}{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("alertrelay: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }
}

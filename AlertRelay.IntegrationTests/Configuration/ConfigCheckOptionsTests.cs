using AlertRelay.IntegrationTests.Api;

namespace AlertRelay.IntegrationTests.Configuration;

/// <summary>
/// <c>dotnet AlertRelay.Api.dll config check</c> reads the file as the server would: with
/// <c>AlertRelay:Config:IgnoreUnsupportedReceivers</c> from the environment (or appsettings.json), an unsupported receiver block is a
/// warning after SUCCESS (exit 0); without it, an error (exit 1).
/// </summary>
public sealed class ConfigCheckOptionsTests : IDisposable
{
    private const string Yaml = """
        route:
          receiver: pager
        receivers:
          - name: pager
            opsgenie_configs:
              - api_key: do-not-print-me
        """;

    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "config-check-" + Guid.NewGuid().ToString("N"));

    public ConfigCheckOptionsTests()
    {
        Directory.CreateDirectory(_workingDirectory);
        File.WriteAllText(Path.Combine(_workingDirectory, "am.yml"), Yaml);
    }

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task ConfigCheck_RefusesAnUnsupportedKind_ByDefault()
    {
        var (exitCode, output, _) = await AlertRelayCommand.RunAsync(_workingDirectory, new Dictionary<string, string>(), "config", "check", "am.yml");

        Assert.Equal(1, exitCode);
        Assert.Contains("am.yml:5: receivers[0].opsgenie_configs: unsupported receiver kind \"opsgenie_configs\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print-me", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigCheck_WarnsAndSucceeds_WhenTheServerSettingIgnoresUnsupportedReceivers()
    {
        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(
            _workingDirectory, new Dictionary<string, string> { ["AlertRelay__Config__IgnoreUnsupportedReceivers"] = "true" }, "config", "check", "am.yml");

        Assert.True(exitCode == 0, output + error);
        Assert.StartsWith("Checking 'am.yml'  SUCCESS\n", output, StringComparison.Ordinal);
        Assert.Contains("2 warnings:\n  am.yml:4: receivers[0].name: warning: receiver \"pager\" notifies nobody", output, StringComparison.Ordinal);
        Assert.Contains("  am.yml:6: receivers[0].opsgenie_configs[0]: warning: unsupported receiver kind \"opsgenie_configs\" ignored", output, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print-me", output, StringComparison.Ordinal);
    }
}

using AlertRelay.IntegrationTests.Api;

namespace AlertRelay.IntegrationTests.Schedules;

/// <summary><c>dotnet AlertRelay.Api.dll oncall who ...</c>, the built DLL as an operator runs it: the name alone on standard output, no server started.</summary>
public sealed class OncallWhoDllTests : IDisposable
{
    private const string Yaml = """
        route:
          receiver: oncall:primary
        receivers:
          - name: oncall-slack
            slack_configs: [{channel: '#oncall', bot_token_file: /run/secrets/slack-bot-token}]
            email_configs: [{to: oncall@example.com, from: alertrelay@example.com, smarthost: 'mail.example.com:587'}]
        participants:
          - {name: alice, email: alice@example.com}
          - {name: bob, email: bob@example.com}
          - {name: carol, email: carol@example.com}
          - {name: dave, slack_user_id: U0DAVE01}
        oncall_schedules:
          - name: primary
            timezone: Europe/Paris
            receiver: oncall-slack
            rotation: {start: 2026-01-05T09:00, length: 1w, participants: [alice, bob, carol]}
            overrides:
              - {participant: dave, from: 2026-03-28T18:00, to: 2026-03-30T09:00}
        """;

    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "oncall-who-" + Guid.NewGuid().ToString("N"));

    public OncallWhoDllTests()
    {
        Directory.CreateDirectory(_workingDirectory);
        File.WriteAllText(Path.Combine(_workingDirectory, "alertrelay.yml"), Yaml);
    }

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    [Fact]
    public async Task OncallWho_PrintsTheNameAloneAndExitsZero_WhenRunFromTheBuiltDll()
    {
        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(
            _workingDirectory, new Dictionary<string, string>(), "oncall", "who", "--config", "alertrelay.yml", "--schedule", "primary", "--at", "2026-03-29T01:30:00Z");

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{output}{error}");
        Assert.Equal("dave" + Environment.NewLine, output);
        Assert.Equal(["alertrelay.yml"], Directory.EnumerateFileSystemEntries(_workingDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task OncallWho_PrintsFileAndLineAndExitsOne_WhenTheConfigIsInvalid()
    {
        File.WriteAllText(Path.Combine(_workingDirectory, "alertrelay.yml"), Yaml.Replace("[alice, bob, carol]", "[alice, erin]", StringComparison.Ordinal));

        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(
            _workingDirectory, new Dictionary<string, string>(), "oncall", "who", "--config", "alertrelay.yml", "--schedule", "primary");

        Assert.Equal(1, exitCode);
        Assert.Empty(output);
        Assert.Contains("alertrelay.yml:16: oncall_schedules[0].rotation.participants[1]: unknown participant \"erin\"", error, StringComparison.Ordinal);
    }
}

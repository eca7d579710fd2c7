using AlertRelay.Api.Cli;
using AlertRelay.Tests.Api;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Configuration;

/// <summary><c>oncall who</c> through <see cref="CliCommands.TryRun(string[], TextWriter, TextWriter, out int)"/>, with captured output.</summary>
public sealed class OncallWhoCommandTests : IDisposable
{
    private readonly string _file = RepositoryFiles.WriteTemp(OncallApp.Yaml);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => File.Delete(_file);

    private (bool Handled, int ExitCode) Run(params string[] args) => (CliCommands.TryRun(args, _output, _error, out var exitCode), exitCode);

    private string Output => _output.ToString().ReplaceLineEndings("\n");

    private string Error => _error.ToString().ReplaceLineEndings("\n");

    [Theory]
    [InlineData("2026-03-29T01:30:00Z", "primary", "dave")]       // the example: dave's override
    [InlineData("2026-03-30T06:59:59Z", "primary", "dave")]       // the override ends at 09:00 CEST
    [InlineData("2026-03-30T07:00:00Z", "primary", "alice")]
    [InlineData("2026-01-05T07:59:00+00:00", "primary", "carol")] // before the rotation's start: it runs backwards
    [InlineData("2026-10-04T01:30:00+10:30", "secondary", "carol")]
    public void OncallWho_PrintsTheParticipantAlone_WhenTheScheduleExists(string at, string schedule, string expected)
    {
        Assert.Equal((true, 0), Run("oncall", "who", "--config", _file, "--schedule", schedule, "--at", at));

        Assert.Equal(expected + "\n", Output);
        Assert.Empty(Error);
    }

    [Fact]
    public void OncallWho_AcceptsOptionsWithEquals_LikeTheOtherCommands()
    {
        Assert.Equal((true, 0), Run("oncall", "who", $"--config={_file}", "--schedule=primary", "--at=2026-03-29T01:30:00Z"));

        Assert.Equal("dave\n", Output);
    }

    [Fact]
    public void OncallWho_AnswersForNow_WhenAtIsAbsent()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-12T08:00:00Z")); // Monday 09:00 in Paris: bob's week starts

        var exitCode = CliCommands.OncallWho(["--config", _file, "--schedule", "primary"], _output, _error, time);

        Assert.Equal(0, exitCode);
        Assert.Equal("bob\n", Output);
    }

    [Fact]
    public void OncallWho_PrintsTheConfigErrorsAndExitsOne_WhenTheConfigIsInvalid()
    {
        var file = RepositoryFiles.WriteTemp(OncallApp.Yaml.Replace("Europe/Paris", "Europe/Pariss", StringComparison.Ordinal));

        Assert.Equal((true, CliCommands.Failed), Run("oncall", "who", "--config", file, "--schedule", "primary"));

        Assert.Empty(Output);
        Assert.Contains($"{file}:14: oncall_schedules[0].timezone: invalid time zone \"Europe/Pariss\"", Error, StringComparison.Ordinal);
        File.Delete(file);
    }

    [Fact]
    public void OncallWho_SaysSoAndExitsOne_WhenTheScheduleIsUnknown()
    {
        Assert.Equal((true, CliCommands.Failed), Run("oncall", "who", "--config", _file, "--schedule", "tertiary", "--at", "2026-03-29T01:30:00Z"));

        Assert.Empty(Output);
        Assert.Equal($"unknown schedule \"tertiary\" in {_file} (it has primary, secondary)\n", Error);
    }

    [Theory]
    [InlineData("needs --schedule NAME", "--at", "2026-03-29T01:30:00Z")]
    [InlineData("--at: \"yesterday\" is not an RFC 3339 timestamp", "--schedule", "primary", "--at", "yesterday")]
    [InlineData("--schedule needs a value", "--schedule")]
    [InlineData("--at: \"9999-12-31T23:00:00Z\" is not an RFC 3339 timestamp", "--schedule", "primary", "--at", "9999-12-31T23:00:00Z")]
    [InlineData("oncall who: unexpected '--who'", "--schedule", "primary", "--who")]
    public void OncallWho_PrintsUsageAndExitsTwo_WhenTheCommandLineIsWrong(string message, params string[] args)
    {
        Assert.Equal((true, CliCommands.UsageError), Run(["oncall", "who", "--config", _file, .. args]));

        Assert.Empty(Output);
        Assert.Contains(message, Error, StringComparison.Ordinal);
    }
}

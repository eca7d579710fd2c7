using AlertRelay.Api.Cli;

namespace AlertRelay.Tests.Configuration;

/// <summary>Tests for <see cref="CliCommands"/>, run in-process with captured output.</summary>
public sealed class CliCommandsTests : IDisposable
{
    private const string ValidYaml = """
        global:
          resolve_timeout: 5m
        route:
          receiver: team
          routes:
            - matchers: ['severity="critical"']
              receiver: pager
              continue: true
            - matchers: ['team="db"']
              receiver: db
        receivers: [{name: team}, {name: pager}, {name: db}]
        inhibit_rules:
          - source_matchers: ['severity="critical"']
            target_matchers: ['severity="warning"']
        escalations:
          - name: critical
            steps: [{after: 15m, notify: pager}]
        """;

    private readonly string _validFile = RepositoryFiles.WriteTemp(ValidYaml);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose() => File.Delete(_validFile);

    private (bool Handled, int ExitCode) Run(params string[] args)
    {
        var handled = CliCommands.TryRun(args, _output, _error, out var exitCode);
        return (handled, exitCode);
    }

    private string Output => _output.ToString().ReplaceLineEndings("\n");

    private string Error => _error.ToString().ReplaceLineEndings("\n");

    /// <summary>Arguments that are not a CLI command and must reach the web host untouched.</summary>
    public sealed record HostArgsCase(string Name, string[] Args)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<HostArgsCase> HostArgs() =>
    [
        new("no arguments", []),
        new("--urls", ["--urls", "http://localhost:5005"]),
        new("--urls=", ["--urls=http://localhost:5005"]),
        new("a configuration override", ["--AlertRelay:Database:Path=/tmp/x.db"]),
        new("a command-looking value after an option", ["--environment", "config"]),
    ];

    [Theory]
    [MemberData(nameof(HostArgs))]
    public void TryRun_ReturnsFalse_WhenArgumentsAreForTheHost(HostArgsCase testCase)
    {
        Assert.False(Run(testCase.Args).Handled);
        Assert.Empty(Output);
        Assert.Empty(Error);
    }

    [Fact]
    public void ConfigCheck_PrintsSuccessAndCounts_WhenConfigIsValid()
    {
        Assert.Equal((true, 0), Run("config", "check", _validFile));

        Assert.Equal(
            $"""
            Checking '{_validFile}'  SUCCESS
            Found:
             - global config
             - route tree with 3 routes
             - 3 receivers
             - 1 inhibit rules
             - 1 escalations


            """,
            Output);
    }

    [Fact]
    public void ConfigCheck_PrintsEveryErrorAndExitsOne_WhenConfigIsInvalid()
    {
        var file = Path.Combine(RepositoryFiles.InvalidConfigDirectory, "many-errors.yml");

        Assert.Equal((true, CliCommands.Failed), Run("config", "check", file));

        var lines = Output.Split('\n');
        Assert.Equal($"Checking '{file}'  FAILED: 8 errors", lines[0]);
        Assert.Equal($"  {file}:5: route.routes[0].receiver: undefined receiver \"ops\"", lines[1]);
        Assert.Equal($"  {file}:17: escalations[1].steps: an escalation needs at least one step", lines[8]);
    }

    [Fact]
    public void ConfigCheck_ChecksEveryFile_AndFailsWhenAnyFails()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yml");

        Assert.Equal((true, CliCommands.Failed), Run("config", "check", _validFile, missing));

        Assert.Contains($"Checking '{_validFile}'  SUCCESS", Output, StringComparison.Ordinal);
        Assert.Contains($"Checking '{missing}'  FAILED: no such file", Output, StringComparison.Ordinal);
    }

    /// <summary>A <c>routes test</c> command line and what it must print and return.</summary>
    public sealed record RoutesCase(string Name, string[] Args, string Output, int ExitCode)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<RoutesCase> RoutesCases() =>
    [
        new("root", [], "team\n", 0),
        new("continue gives two receivers", ["severity=critical", "team=db"], "pager,db\n", 0),
        new("quoted label value", ["team=\"db\""], "db\n", 0),
        new("a later duplicate label wins", ["team=web", "team=db"], "db\n", 0),
        new("verify matches", ["--verify.receivers=pager,db", "severity=critical", "team=db"], "pager,db\n", 0),
        new("verify as a separate argument", ["--verify.receivers", "team", "alertname=x"], "team\n", 0),
        new("verify differs", ["--verify.receivers=db", "severity=critical", "team=db"],
            "pager,db\nWARNING: Expected receivers did not match resolved receivers.\n", CliCommands.Failed),
    ];

    [Theory]
    [MemberData(nameof(RoutesCases))]
    public void RoutesTest_PrintsReceiversLikeAmtool(RoutesCase testCase)
    {
        Assert.Equal((true, testCase.ExitCode), Run(["routes", "test", "--config", _validFile, .. testCase.Args]));

        Assert.Equal(testCase.Output, Output);
    }

    [Fact]
    public void RoutesTest_AcceptsAmtoolsConfigFlag()
    {
        Assert.Equal((true, 0), Run("routes", "test", $"--config.file={_validFile}", "team=db"));

        Assert.Equal("db\n", Output);
    }

    [Fact]
    public void RoutesTest_PrintsErrorsAndExitsOne_WhenConfigIsInvalid()
    {
        var file = Path.Combine(RepositoryFiles.InvalidConfigDirectory, "undefined-receiver.yml");

        Assert.Equal((true, CliCommands.Failed), Run("routes", "test", $"--config={file}", "team=ops"));

        Assert.Empty(Output);
        Assert.Contains($"{file}:7: route.routes[1].receiver: undefined receiver \"ops\"", Error, StringComparison.Ordinal);
    }

    /// <summary>A command line that cannot be understood: usage on the error output, exit code 2.</summary>
    public sealed record UsageCase(string Name, string[] Args, string Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<UsageCase> UsageCases() =>
    [
        new("config without subcommand", ["config"], "'config' needs a subcommand"),
        new("unknown subcommand", ["routes", "show"], "unknown command 'routes show'"),
        new("config check without files", ["config", "check"], "config check needs one or more files"),
        new("unknown option", ["routes", "test", "--tree"], "unknown option '--tree'"),
        new("--config without a file", ["routes", "test", "--config"], "--config needs a file"),
        new("label that is not a matcher", ["routes", "test", "severity"], "Failed to parse labels: "),
        new("label with another operator", ["routes", "test", "severity=~crit.*"], "Labels must be specified as key=value pairs"),
    ];

    [Theory]
    [MemberData(nameof(UsageCases))]
    public void TryRun_PrintsUsageAndExitsTwo_WhenCommandLineIsWrong(UsageCase testCase)
    {
        Assert.Equal((true, CliCommands.UsageError), Run(testCase.Args));

        Assert.Contains(testCase.Message, Error, StringComparison.Ordinal);
        Assert.Empty(Output);
    }
}

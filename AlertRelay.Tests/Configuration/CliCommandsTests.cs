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
        new("--urls x", ["--urls", "x"]),
        new("/key value", ["/urls", "http://localhost:5005"]),
        new("--contentRoot", ["--contentRoot", "/srv/alertrelay"]),
        new("several settings", ["--urls", "http://localhost:5005", "--AlertRelay:ConfigFile=/etc/alertrelay/alertrelay.yml", "/environment", "Production"]),
    ];

    [Theory]
    [MemberData(nameof(HostArgs))]
    public void TryRun_ReturnsFalse_WhenArgumentsAreForTheHost(HostArgsCase testCase)
    {
        Assert.False(Run(testCase.Args).Handled);
        Assert.Empty(Output);
        Assert.Empty(Error);
    }

    /// <summary>A command line that asks for help or the version: printed on the standard output, exit code 0, no host.</summary>
    public sealed record InfoCase(string Name, string[] Args, string Output)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<InfoCase> InfoCases() =>
    [
        new("--help", ["--help"], "--AlertRelay:Database:Path FILE"),
        new("-h", ["-h"], "--AlertRelay:Database:Path FILE"),
        new("help", ["help"], "--AlertRelay:Database:Path FILE"),
        new("--help after settings", ["--urls", "http://localhost:5005", "--help"], "--AlertRelay:Database:Path FILE"),
        new("--version", ["--version"], $"AlertRelay {CliCommands.Version}\n"),
        new("--version after settings", ["--AlertRelay:Database:Path=/tmp/x.db", "--version"], $"AlertRelay {CliCommands.Version}\n"),
    ];

    [Theory]
    [MemberData(nameof(InfoCases))]
    public void TryRun_PrintsHelpOrVersionAndExitsZero(InfoCase testCase)
    {
        Assert.Equal((true, 0), Run(testCase.Args));

        Assert.Contains(testCase.Output, Output, StringComparison.Ordinal);
        Assert.Empty(Error);
    }

    [Fact]
    public void Help_ListsTheCommandsAndTheMainSettings()
    {
        Run("--help");

        Assert.All(
            ["config check FILE...", "routes test [--config FILE]", "history backup [--db PATH] --to FILE",
             "--urls URLS", "--contentRoot DIR", "--AlertRelay:ConfigFile FILE", "--AlertRelay:Database:Path FILE"],
            expected => Assert.Contains(expected, Output, StringComparison.Ordinal));
    }

    [Fact]
    public void Version_IsTheAssemblysInformationalVersion()
    {
        var attribute = typeof(CliCommands).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false);

        Assert.Equal(((System.Reflection.AssemblyInformationalVersionAttribute)Assert.Single(attribute)).InformationalVersion, CliCommands.Version);
    }

    /// <summary>The content root the host gets: the operator's, relative to the application's directory as ASP.NET Core resolves it, else the application's directory.</summary>
    public sealed record ContentRootCase(string Name, string[] Args, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ContentRootCase> ContentRootCases() =>
    [
        new("no setting: the application's directory", [], AppContext.BaseDirectory),
        new("--contentRoot", ["--contentRoot", "/srv/alertrelay"], "/srv/alertrelay"),
        new("--contentRoot=", ["--contentRoot=/srv/alertrelay"], "/srv/alertrelay"),
        new("/contentRoot", ["/contentRoot", "/srv/alertrelay"], "/srv/alertrelay"),
        new("relative: against the application's directory", ["--contentRoot", "site"], Path.Combine(AppContext.BaseDirectory, "site")),
    ];

    [Theory]
    [MemberData(nameof(ContentRootCases))]
    public void ContentRoot_IsTheOperatorsElseTheApplicationsDirectory(ContentRootCase testCase)
    {
        Assert.Equal(testCase.Expected, HostCommandLine.ContentRoot(testCase.Args));
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
            1 warning:
              {_validFile}:2: global.resolve_timeout: warning: "resolve_timeout" is accepted but ignored by AlertRelay: Alertmanager applies it before it sends; AlertRelay takes the status and endsAt that Alertmanager sends


            """,
            Output);
    }

    [Fact]
    public void ConfigCheck_PrintsWarningsAfterSuccess_AndExitsZero()
    {
        var file = RepositoryFiles.WriteTemp("""
            route:
              receiver: r
              group_wait: 10s
            receivers:
              - name: r
                slack_configs:
                  - api_url: https://hooks.example.com/services/secret-token
                    icon_emoji: ':fire:'
            """);
        try
        {
            Assert.Equal((true, 0), Run("config", "check", file));

            var lines = Output.Split('\n');
            Assert.Equal(
                [
                    " - 0 escalations",
                    "2 warnings:",
                    $"  {file}:3: route.group_wait: warning: group_wait is accepted but ignored by AlertRelay (1 route sets it): Alertmanager groups, waits and repeats "
                        + "before it sends to AlertRelay; AlertRelay notifies each alert as it arrives (as group_by: ['...']) and repeats through escalations and "
                        + "reminders (warned once per file)",
                    $"  {file}:8: receivers[0].slack_configs[0].icon_emoji: warning: \"icon_emoji\" is accepted but ignored by AlertRelay: AlertRelay lays out "
                        + "its own Slack message (title, text, state colour and on-call buttons)",
                    "",
                    "",
                ],
                lines[^6..]);
            Assert.StartsWith($"Checking '{file}'  SUCCESS\n", Output, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-token", Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    [Fact]
    public void ConfigCheck_CountsSchedulesAndHeartbeats_AndNotTheHeartbeatsRoutesAsTheFiles()
    {
        Assert.Equal((true, 0), Run("config", "check", RepositoryFiles.ExampleConfig));

        Assert.Contains(" - route tree with 5 routes\n", Output, StringComparison.Ordinal);
        Assert.Contains(" - 1 on-call schedules (primary), 2 participants\n", Output, StringComparison.Ordinal);
        Assert.Contains(" - 1 heartbeats (prometheus: 5m to oncall:primary)\n", Output, StringComparison.Ordinal);
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

    public static TheoryData<UsageCase> NeitherCommandNorSettingsCases() =>
    [
        new("histroy (a mistyped command)", ["histroy", "backup", "--to", "x.db"], "unknown command 'histroy'"),
        new("a bare word after settings", ["--urls", "http://localhost:5005", "start"], "'start' is neither a command nor a setting"),
        new("a single-dash option", ["-v"], "unknown option '-v'"),
        new("a setting without its value", ["--urls"], "'--urls' needs a value"),
        new("an empty key", ["--=x"], "'--=x' is not a setting"),
    ];

    [Theory]
    [MemberData(nameof(NeitherCommandNorSettingsCases))]
    public void TryRun_PrintsTheCommandsAndExitsTwo_WhenArgumentsAreNeitherACommandNorSettings(UsageCase testCase)
    {
        Assert.Equal((true, CliCommands.UsageError), Run(testCase.Args));

        Assert.StartsWith($"error: {testCase.Message}", Error, StringComparison.Ordinal);
        Assert.Contains("history backup [--db PATH] --to FILE", Error, StringComparison.Ordinal);
        Assert.Empty(Output);
    }
}

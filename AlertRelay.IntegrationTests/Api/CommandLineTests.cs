using System.Diagnostics;
using AlertRelay.Api.Cli;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>
/// The built AlertRelay.Api.dll run with a command line that is not settings, from an empty directory: it prints, exits
/// and leaves the directory empty (before, --help, --version and a mistyped command started the server, which created
/// data/alertrelay.db where it was run).
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "cli-" + Guid.NewGuid().ToString("N"));

    public CommandLineTests() => Directory.CreateDirectory(_workingDirectory);

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    /// <summary>A command line, its exit code, and a text its standard output (or, for errors, its standard error) holds.</summary>
    public sealed record CommandCase(string Name, string[] Args, int ExitCode, string Printed)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<CommandCase> Cases() =>
    [
        new("--help", ["--help"], 0, "history backup [--db PATH] --to FILE"),
        // The informational version of the DLL run (its product version), which has the commit it was built from.
        new("--version", ["--version"], 0, $"AlertRelay {FileVersionInfo.GetVersionInfo(AlertRelayCommand.Dll).ProductVersion}\n"),
        new("histroy (a mistyped command)", ["histroy", "backup", "--to", "backup.db"], CliCommands.UsageError, "error: unknown command 'histroy'"),
        new("a single-dash option", ["-v"], CliCommands.UsageError, "error: unknown option '-v'"),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CommandLine_PrintsAndExitsWithoutStartingTheServer(CommandCase testCase)
    {
        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(_workingDirectory, new Dictionary<string, string>(), testCase.Args);

        Assert.True(exitCode == testCase.ExitCode, $"exit code {exitCode}:\n{output}{error}");
        Assert.Contains(testCase.Printed, testCase.ExitCode == 0 ? output : error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workingDirectory));
    }
}

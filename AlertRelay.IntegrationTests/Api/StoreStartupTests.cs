namespace AlertRelay.IntegrationTests.Api;

/// <summary>
/// The built AlertRelay.Api.dll started on a PostgreSQL store it cannot use: one line on standard error naming the setting, no
/// stack trace, exit code 1, and nothing created where it was started (no SQLite file as a fallback).
/// </summary>
public sealed class StoreStartupTests : IDisposable
{
    private readonly string _workingDirectory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "store-startup-" + Guid.NewGuid().ToString("N"));

    public StoreStartupTests() => Directory.CreateDirectory(_workingDirectory);

    public void Dispose() => Directory.Delete(_workingDirectory, recursive: true);

    public static TheoryData<string, string?, string> Cases() => new()
    {
        // name, connection string (null: not set), what the line says
        { "unreachable PostgreSQL", $"Host=127.0.0.1;Port={FreePort.Get()};Username=alertrelay;Password=secret;Database=alertrelay;Timeout=2", "AlertRelay:Database:ConnectionString: cannot connect to postgres://alertrelay@127.0.0.1:" },
        { "not a connection string", "Host=127.0.0.1;Nonsense Keyword=1", "AlertRelay:Database:ConnectionString is not a valid PostgreSQL connection string" },
        { "no connection string", null, "AlertRelay:Database:ConnectionString (or ConnectionStringFile) must be set" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Start_PrintsOneLineNamingTheSetting_AndExits1(string name, string? connectionString, string expected)
    {
        var environment = new Dictionary<string, string> { ["AlertRelay__Database__Provider"] = "postgres", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" };
        if (connectionString is not null)
        {
            environment["AlertRelay__Database__ConnectionString"] = connectionString;
        }

        var (exitCode, output, error) = await AlertRelayCommand.RunAsync(_workingDirectory, environment);

        Assert.True(exitCode == 1, $"{name}: exit code {exitCode}:\n{output}{error}");
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("alertrelay: cannot start: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", output + error, StringComparison.Ordinal); // never the password
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal); // no stack trace
        Assert.Empty(Directory.EnumerateFileSystemEntries(_workingDirectory));
    }
}

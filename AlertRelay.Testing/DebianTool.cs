using System.Diagnostics;

namespace AlertRelay.Testing;

/// <summary>
/// A program from a Debian package that the tests run, and the package that ships it. A missing tool fails the
/// test with the package to install (scripts/test.sh installs them); it never skips.
/// </summary>
public sealed record DebianTool(string Binary, string DebianPackage)
{
    /// <summary>promtool 2.42: check config, check rules, test rules.</summary>
    public static DebianTool Promtool { get; } = new("promtool", "prometheus");

    /// <summary>Prometheus 2.42 itself, for the end-to-end run.</summary>
    public static DebianTool Prometheus { get; } = new("prometheus", "prometheus");

    /// <summary>Alertmanager 0.25 itself, for the end-to-end runs.</summary>
    public static DebianTool Alertmanager { get; } = new("prometheus-alertmanager", "prometheus-alertmanager");

    /// <summary>amtool 0.25: check-config, config routes test.</summary>
    public static DebianTool Amtool { get; } = new("amtool", "prometheus-alertmanager");

    /// <summary>docker-compose 1.29: config -q validates without a Docker engine.</summary>
    public static DebianTool DockerCompose { get; } = new("docker-compose", "docker-compose");

    /// <summary>blackbox_exporter 0.23: --config.check.</summary>
    public static DebianTool BlackboxExporter { get; } = new("prometheus-blackbox-exporter", "prometheus-blackbox-exporter");

    /// <summary>Chromium, driven headless by the alert page's browser test (never a downloaded browser).</summary>
    public static DebianTool Chromium { get; } = new("chromium", "chromium");

    /// <summary>The WebDriver server for <see cref="Chromium"/>.</summary>
    public static DebianTool Chromedriver { get; } = new("chromedriver", "chromium-driver");

    private static readonly string[] StandardDirectories = ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin"];

    /// <summary>Runs the tool in the repository root with <paramref name="arguments"/>, waiting up to 60 seconds.</summary>
    public async Task<DebianToolResult> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryFiles.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // amtool and docker-compose read configuration from the home directory; a private one keeps the user's out.
        var home = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "monitoring-home");
        Directory.CreateDirectory(home);
        info.Environment["HOME"] = home;
        // Compose would otherwise pick these up from the environment of whoever runs the tests.
        info.Environment.Remove("COMPOSE_FILE");
        info.Environment.Remove("COMPOSE_PROJECT_NAME");

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Binary} {string.Join(' ', arguments)} did not finish within 60 seconds");
        }

        return new DebianToolResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The tool's full path; fails the test, naming the package to install, when it is missing.</summary>
    public string Locate()
    {
        var path = Find();
        Assert.True(
            path is not null,
            $"{Binary} is not installed (looked on PATH and in {string.Join(", ", StandardDirectories)}). " +
            $"Install the Debian package '{DebianPackage}' (apt-get install -y {DebianPackage}), " +
            "or run the tests with scripts/test.sh, which installs it.");
        return path!;
    }

    private string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(StandardDirectories)
            .Select(directory => Path.Combine(directory, Binary))
            .FirstOrDefault(File.Exists);
}

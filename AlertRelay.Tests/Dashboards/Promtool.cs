using System.Diagnostics;

namespace AlertRelay.Tests.Dashboards;

/// <summary>Runs Prometheus' promtool (Debian package <c>prometheus</c>, installed by scripts/test.sh); a missing promtool fails the test.</summary>
public static class Promtool
{
    public const string Binary = "/usr/bin/promtool";

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output => StandardOutput + StandardError;
    }

    /// <summary>Runs promtool with <paramref name="arguments"/> and waits up to 60 seconds for it.</summary>
    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var path = File.Exists(Binary) ? Binary : FindOnPath();
        Assert.True(
            path is not null,
            $"promtool is not installed (looked for {Binary} and on PATH): the dashboard tests check every PromQL expression with it. " +
            "Install the Debian package 'prometheus' (apt-get install -y prometheus), or run the tests with scripts/test.sh, which does.");

        var info = new ProcessStartInfo(path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A fresh temporary directory for rule and test files; the caller deletes it.</summary>
    public static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "promtool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "promtool"))
            .FirstOrDefault(File.Exists);
}

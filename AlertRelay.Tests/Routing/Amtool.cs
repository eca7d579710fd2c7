using System.Diagnostics;

namespace AlertRelay.Tests.Routing;

/// <summary>Runs Alertmanager's amtool (Debian's prometheus-alertmanager 0.25, installed by scripts/test.sh); a missing amtool fails the test.</summary>
public static class Amtool
{
    public const string Binary = "/usr/bin/amtool";

    /// <summary>The result of one amtool run.</summary>
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs amtool with <paramref name="arguments"/> and waits up to 30 seconds for it.</summary>
    public static async Task<Result> RunAsync(params string[] arguments)
    {
        var path = File.Exists(Binary) ? Binary : FindOnPath();
        Assert.True(
            path is not null,
            $"amtool is not installed (looked for {Binary} and on PATH): the differential tests need it. Run the tests with " +
            "scripts/test.sh, which apt-installs Debian's prometheus-alertmanager (it ships amtool), or install that package.");

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

        // amtool reads ~/.config/amtool/config.yml and /etc/amtool/config.yml; a private HOME keeps the user's out.
        info.Environment["HOME"] = Path.GetTempPath();

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string? FindOnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "amtool"))
            .FirstOrDefault(File.Exists);
}

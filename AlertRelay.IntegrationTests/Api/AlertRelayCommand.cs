using System.Diagnostics;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>The built AlertRelay.Api.dll run as a command (not a server) in a given working directory: exit code and output.</summary>
public static class AlertRelayCommand
{
    /// <summary>
    /// AlertRelay.Api's own build output (AlertRelay.Api/bin/&lt;Configuration&gt;/net10.0/, with a trailing separator), as an
    /// installed copy such as /opt/alertrelay/: the application's directory, its default content root. Not the copy next to
    /// the tests, which holds the demo shop's appsettings.json as well (both are copied there, and the shop's wins).
    /// </summary>
    public static string ApplicationDirectory { get; } = FindApplicationDirectory();

    /// <summary>AlertRelay.Api.dll in <see cref="ApplicationDirectory"/>.</summary>
    public static string Dll => Path.Combine(ApplicationDirectory, "AlertRelay.Api.dll");

    /// <summary>The dotnet host running the tests.</summary>
    public static string Dotnet { get; } =
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    /// <summary>Runs <c>dotnet AlertRelay.Api.dll ARGS</c> in <paramref name="workingDirectory"/>; fails the test if it has not exited after 30 s (it started the server).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"dotnet AlertRelay.Api.dll {string.Join(' ', args)} did not exit within 30 s (it started the server?):\n{await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    private static string FindApplicationDirectory()
    {
        var output = Path.GetRelativePath(Path.Combine(RepositoryFiles.Root, "AlertRelay.IntegrationTests"), AppContext.BaseDirectory);
        var directory = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, "AlertRelay.Api", output)).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if (!File.Exists(Path.Combine(directory, "AlertRelay.Api.dll")) || !File.Exists(Path.Combine(directory, "appsettings.json")))
        {
            throw new InvalidOperationException($"AlertRelay.Api is not built in {directory} (the tests build it as a project reference)");
        }

        return directory;
    }
}

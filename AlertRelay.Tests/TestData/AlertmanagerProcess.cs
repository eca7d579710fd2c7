namespace AlertRelay.Tests.TestData;

/// <summary>
/// A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by scripts/test.sh) on a
/// free loopback port, with its own config and storage directory; killed on dispose.
/// </summary>
public static class AlertmanagerProcess
{
    public const string Binary = "prometheus-alertmanager";

    /// <summary>Starts Alertmanager with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string configYaml, string directory)
    {
        var path = FindOnPath(Binary) ?? throw new InvalidOperationException(
            $"{Binary} is not installed: run the tests with scripts/test.sh, which apt-installs it (Debian package prometheus-alertmanager)");
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        var configPath = Path.Combine(directory, "alertmanager.yml");
        await File.WriteAllTextAsync(configPath, configYaml);
        var port = FreePort.Get();
        return await ServerProcess.StartAsync(path, [
            $"--config.file={configPath}",
            $"--storage.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            $"--web.external-url=http://127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=debug",
        ], $"http://127.0.0.1:{port}", "/-/ready");
    }

    /// <summary>The full path of an executable on PATH, or null.</summary>
    public static string? FindOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin")
            .Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}

namespace AlertRelay.Testing;

/// <summary>
/// A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by scripts/test.sh) on a
/// free loopback port, with its own config and storage directory; killed on dispose.
/// </summary>
public static class AlertmanagerProcess
{
    /// <summary>Starts Alertmanager with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static async Task<ServerProcess> StartAsync(string configYaml, string directory)
    {
        var path = DebianTool.Alertmanager.Locate();
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
}

using System.Net.Http.Json;
using System.Text.Json;

namespace AlertRelay.Testing;

/// <summary>
/// A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by scripts/test.sh) on a
/// free loopback port, with its own config and storage directory; killed on dispose.
/// </summary>
public static class AlertmanagerProcess
{
    /// <summary>Starts Alertmanager with <paramref name="configYaml"/> and waits until it is ready.</summary>
    public static Task<ServerProcess> StartAsync(string configYaml, string directory) => StartAsync(configYaml, directory, ["--cluster.listen-address="]);

    /// <summary>
    /// Starts one member of an HA cluster on loopback: gossip on 127.0.0.1:<paramref name="clusterPort"/> (advertised as such),
    /// peering with <paramref name="peerPorts"/>, and a non-first member waiting <paramref name="peerTimeout"/> per position before
    /// it checks the shared notification log. The cluster is settled when <see cref="ClusterStatusAsync"/> says "ready".
    /// </summary>
    public static Task<ServerProcess> StartPeerAsync(
        string configYaml, string directory, int clusterPort, IEnumerable<int> peerPorts, TimeSpan peerTimeout) =>
        StartAsync(configYaml, directory, [
            $"--cluster.listen-address=127.0.0.1:{clusterPort}",
            $"--cluster.advertise-address=127.0.0.1:{clusterPort}",
            .. peerPorts.Select(p => $"--cluster.peer=127.0.0.1:{p}"),
            $"--cluster.peer-timeout={(int)peerTimeout.TotalMilliseconds}ms",
            "--cluster.reconnect-interval=1s",
        ]);

    /// <summary>
    /// The member's view of its cluster (GET /api/v2/status): its status ("ready" once settled), its own name, and the names of
    /// every member including itself. Alertmanager orders members by name: a member's position (and so its wait) is its rank.
    /// </summary>
    public static async Task<(string Status, string Name, IReadOnlyList<string> Peers)> ClusterStatusAsync(ServerProcess alertmanager)
    {
        var status = await alertmanager.Client.GetFromJsonAsync<JsonElement>("/api/v2/status");
        var cluster = status.GetProperty("cluster");
        var peers = cluster.TryGetProperty("peers", out var list) ? list.EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList() : [];
        return (cluster.GetProperty("status").GetString()!, cluster.TryGetProperty("name", out var name) ? name.GetString()! : "", peers);
    }

    private static async Task<ServerProcess> StartAsync(string configYaml, string directory, IEnumerable<string> clusterArguments)
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
            .. clusterArguments,
            "--log.level=debug",
        ], $"http://127.0.0.1:{port}", "/-/ready");
    }
}

using System.Net.Http.Json;

namespace AlertRelay.IntegrationTests.Replicas;

/// <summary>
/// A real Alertmanager HA pair (two Debian prometheus-alertmanager instances gossiping on loopback, as in
/// <c>AlertmanagerHaPairTests</c>), ranked: <see cref="First"/> notifies at once, <see cref="Second"/> waits its peer timeout,
/// then reads the shared notification log and sends only what the first has not sent.
/// </summary>
public sealed class AlertmanagerPair : IAsyncDisposable
{
    private readonly Dictionary<ServerProcess, string> _directories;

    private AlertmanagerPair(ServerProcess first, ServerProcess second, Dictionary<ServerProcess, string> directories)
    {
        First = first;
        Second = second;
        _directories = directories;
    }

    public ServerProcess First { get; }

    public ServerProcess Second { get; }

    /// <summary>Starts both instances with <paramref name="configYaml"/> and waits until they are one settled cluster of two.</summary>
    public static async Task<AlertmanagerPair> StartAsync(string directory, string configYaml, TimeSpan peerTimeout)
    {
        int[] ports = [FreePort.Get(), FreePort.Get()];
        string[] directories = [Path.Combine(directory, "am-0"), Path.Combine(directory, "am-1")];
        var a = await AlertmanagerProcess.StartPeerAsync(configYaml, directories[0], ports[0], [ports[1]], peerTimeout);
        ServerProcess b;
        try
        {
            b = await AlertmanagerProcess.StartPeerAsync(configYaml, directories[1], ports[1], [ports[0]], peerTimeout);
        }
        catch
        {
            await a.DisposeAsync();
            throw;
        }

        var byProcess = new Dictionary<ServerProcess, string> { [a] = directories[0], [b] = directories[1] };
        try
        {
            await Eventually.UntilAsync(
                async () => await IsSettledAsync(a) && await IsSettledAsync(b), TimeSpan.FromSeconds(60),
                "both Alertmanagers to settle as one cluster of two", () => a.Output + "\n----\n" + b.Output);

            // Alertmanager ranks members by name; the one ranked second waits the peer timeout before reading the notification log.
            var (_, nameA, peers) = await AlertmanagerProcess.ClusterStatusAsync(a);
            return peers.Order(StringComparer.Ordinal).First() == nameA ? new(a, b, byProcess) : new(b, a, byProcess);
        }
        catch
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
            throw;
        }
    }

    /// <summary>Gives <paramref name="alertmanager"/> a new configuration (its file rewritten, then POST /-/reload).</summary>
    public async Task ReconfigureAsync(ServerProcess alertmanager, string configYaml)
    {
        await File.WriteAllTextAsync(Path.Combine(_directories[alertmanager], "alertmanager.yml"), configYaml);
        using var response = await alertmanager.Client.PostAsync("/-/reload", null);
        Assert.True(response.IsSuccessStatusCode, $"Alertmanager refused the new configuration: {await response.Content.ReadAsStringAsync()}\n{configYaml}");
    }

    /// <summary>Posts <paramref name="alerts"/> (API v2) to both instances at once, as Prometheus sends to every Alertmanager.</summary>
    public Task PostAsync(IReadOnlyList<Dictionary<string, object>> alerts) =>
        Task.WhenAll(PostAsync(First, alerts), PostAsync(Second, alerts));

    /// <summary>Posts <paramref name="alerts"/> (API v2) to one instance.</summary>
    public async Task PostAsync(ServerProcess alertmanager, IReadOnlyList<Dictionary<string, object>> alerts)
    {
        using var response = await alertmanager.Client.PostAsJsonAsync("/api/v2/alerts", alerts);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Webhooks each instance sent (attempts, successful or not): first, second.</summary>
    public async Task<(double First, double Second)> WebhooksAsync() =>
        (await WebhooksAsync(First), await WebhooksAsync(Second));

    public string Output => First.Output + "\n---- second Alertmanager ----\n" + Second.Output;

    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }

    private static Task<double> WebhooksAsync(ServerProcess alertmanager) =>
        alertmanager.MetricAsync("alertmanager_notification_requests_total", "integration=\"webhook\"");

    private static async Task<bool> IsSettledAsync(ServerProcess alertmanager)
    {
        var (status, _, peers) = await AlertmanagerProcess.ClusterStatusAsync(alertmanager);
        return status == "ready" && peers.Count == 2;
    }
}

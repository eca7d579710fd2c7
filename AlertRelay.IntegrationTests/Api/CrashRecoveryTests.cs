using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Tests.Notify;
using AlertRelay.Tests.TestData;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlertRelay.IntegrationTests.Api;

/// <summary>
/// The built AlertRelay.Api as a real process, killed with SIGKILL while notifications are queued: after a
/// restart every event is delivered exactly once — the pending ones are sent, the confirmed one is not sent again.
/// </summary>
public sealed class CrashRecoveryTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private SlackStub _slack = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _slack = await SlackStub.StartAsync();
        await File.WriteAllTextAsync(Path.Combine(_directory, "alertrelay.yml"), $"""
            route:
              receiver: oncall
            receivers:
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
            """);
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Task<ServerProcess> StartRelayAsync()
    {
        return ServerProcess.StartDotnetAsync(
            Path.Combine(AppContext.BaseDirectory, "AlertRelay.Api.dll"),
            FreePort.Get(),
            "/readyz",
            new Dictionary<string, string>
            {
                ["AlertRelay__ConfigFile"] = Path.Combine(_directory, "alertrelay.yml"),
                ["AlertRelay__Database__Path"] = Path.Combine(_directory, "history.db"),
                ["AlertRelay__Notify__InitialBackoffSeconds"] = "0.2",
                ["AlertRelay__Notify__MaxBackoffSeconds"] = "1",
                ["AlertRelay__Notify__LeaseSeconds"] = "5",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            });
    }

    private static async Task PostAsync(ServerProcess relay, string fixture) =>
        (await relay.Client.PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    private static Task WaitForAsync(Func<Task<bool>> condition, string what, ServerProcess? relay = null) =>
        Eventually.UntilAsync(condition, TimeSpan.FromSeconds(30), what, () => relay?.Output ?? "");

    private static async Task<JsonElement> NotificationsAsync(ServerProcess relay, string status) =>
        await relay.Client.GetFromJsonAsync<JsonElement>($"/api/notifications?status={status}");

    private async Task<(int Claimed, int Sent)> TurnPastTheLeaseAsync()
    {
        var database = new HistoryDatabase(
            Options.Create(new DatabaseOptions { Path = Path.Combine(_directory, "history.db") }), NullLogger<HistoryDatabase>.Instance);
        var config = RelayConfigLoader.Load(Path.Combine(_directory, "alertrelay.yml"));
        try
        {
            return await TestDispatcher.TurnPastTheLeaseAsync(
                new SqliteOutboxStore(database), config, new NotifyOptions { LeaseSeconds = 5 }, TimeProvider.System.GetUtcNow());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    [Fact]
    public async Task KillNine_WithNotificationsQueued_EveryEventIsDeliveredExactlyOnceAfterRestart()
    {
        var relay = await StartRelayAsync();
        try
        {
            await PostAsync(relay, Fixtures.FiringSingle);
            await WaitForAsync(async () => (await NotificationsAsync(relay, "sent")).GetArrayLength() == 1, "the first delivery", relay);

            await _slack.GoDownAsync();
            await PostAsync(relay, Fixtures.FiringGroupOfTwo);
            await WaitForAsync(
                async () => (await NotificationsAsync(relay, "pending")).EnumerateArray().Count(n => n.GetProperty("attempts").GetInt32() >= 1) == 2,
                "failed attempts while Slack is down", relay);
        }
        finally
        {
            await relay.DisposeAsync(); // SIGKILL: no graceful shutdown
        }

        await _slack.ComeBackAsync();
        var restarted = await StartRelayAsync();
        int pending;
        try
        {
            await WaitForAsync(async () => (await NotificationsAsync(restarted, "sent")).GetArrayLength() == 3, "delivery after the restart", restarted);
            pending = (await NotificationsAsync(restarted, "pending")).GetArrayLength();
        }
        finally
        {
            await restarted.DisposeAsync();
        }

        // A wrong re-delivery needs a notification left to send: past every lease, a dispatcher's turn on the file finds none.
        Assert.Equal((0, 0), await TurnPastTheLeaseAsync());

        var posts = _slack.Requests.Where(r => r.Path == SlackStub.PostMessagePath).ToList();
        Assert.Equal(3, _slack.TopLevelMessages.Count);
        Assert.Single(_slack.TopLevelMessages, m => m.AllText.Contains("HighErrorRate"));
        Assert.Equal(2, _slack.TopLevelMessages.Count(m => m.AllText.Contains("HighResponseTime")));
        Assert.Equal(0, pending);
        Assert.True(posts.Count >= 3, "the stub saw the deliveries");
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlertRelay.Tests.Api;

namespace AlertRelay.IntegrationTests.Oncall;

/// <summary>
/// Silences on a real Alertmanager 0.25 (Debian): it delivers two alerts to a real AlertRelay (and to a recorder that counts
/// deliveries); silencing one through <c>POST /api/alerts/{id}/silence</c>, with a dead loopback URL listed before Alertmanager's,
/// creates a silence that <c>amtool silence query</c> shows and that stops Alertmanager sending that alert while the other keeps
/// coming; <c>DELETE</c> expires it (<c>amtool silence query --expired</c>) and Alertmanager sends the alert again.
/// </summary>
public sealed class AlertmanagerSilenceTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly int _relayPort = FreePort.Get();
    private readonly string _deadUrl = $"http://127.0.0.1:{FreePort.Get()}";
    private AlertRelayApp _relay = null!;
    private WebhookStub _recorder = null!;
    private ServerProcess _alertmanager = null!;

    private string Silenced => "Silenced_" + _suffix;

    private string Control => "Control_" + _suffix;

    public async Task InitializeAsync()
    {
        _recorder = await WebhookStub.StartAsync();
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "silences-" + _suffix);
        // repeat_interval 2s: Alertmanager re-sends each firing group every couple of seconds unless it is silenced.
        _alertmanager = await AlertmanagerProcess.StartAsync(directory: Path.Combine(directory, "alertmanager"), configYaml: $"""
            route:
              receiver: relay
              group_by: ['alertname']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 2s
            receivers:
              - name: relay
                webhook_configs:
                  - url: http://127.0.0.1:{_relayPort}/webhook
                    http_config:
                      authorization:
                        credentials: {AlertRelayApp.WebhookToken}
                  - url: {_recorder.Url}
            """);
        _relay = new AlertRelayApp(new()
        {
            ["AlertRelay:Alertmanager:Urls:0"] = _deadUrl,
            ["AlertRelay:Alertmanager:Urls:1"] = _alertmanager.Url,
            ["AlertRelay:Alertmanager:TimeoutSeconds"] = "5",
        });
        _relay.StartOnLoopback(_relayPort);
    }

    public async Task DisposeAsync()
    {
        await _alertmanager.DisposeAsync();
        _relay.Dispose();
        await _recorder.DisposeAsync();
    }

    private async Task FireAsync()
    {
        var alerts = new[] { Silenced, Control }.Select(name => new Dictionary<string, object>
        {
            ["labels"] = new Dictionary<string, string> { ["alertname"] = name, ["severity"] = "critical", ["instance"] = "db-1" },
            ["annotations"] = new Dictionary<string, string> { ["summary"] = "silence end-to-end" },
            ["startsAt"] = DateTimeOffset.UtcNow.AddSeconds(-30).ToString("O"),
        });
        (await _alertmanager.Client.PostAsJsonAsync("/api/v2/alerts", alerts)).EnsureSuccessStatusCode();
    }

    private async Task<long> OccurrenceIdAsync()
    {
        long id = 0;
        await Eventually.UntilAsync(async () =>
        {
            var items = (await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={Silenced}")).GetProperty("items");
            id = items.GetArrayLength() == 1 ? items[0].GetProperty("id").GetInt64() : 0;
            return id > 0;
        }, Patience, $"{Silenced} in AlertRelay. Alertmanager log:", () => _alertmanager.Output);
        return id;
    }

    /// <summary>Alertmanager's own view of the alert: suppressed by the silence, or active.</summary>
    private async Task<(string State, string[] SilencedBy)> AlertmanagerStateAsync()
    {
        var alerts = await _alertmanager.Client.GetFromJsonAsync<JsonElement>($"/api/v2/alerts?filter=alertname%3D%22{Silenced}%22");
        var status = alerts[0].GetProperty("status");
        return (status.GetProperty("state").GetString()!, status.GetProperty("silencedBy").EnumerateArray().Select(s => s.GetString()!).ToArray());
    }

    private async Task<string> AmtoolAsync(params string[] arguments)
    {
        var result = await DebianTool.Amtool.RunAsync(["silence", "query", $"--alertmanager.url={_alertmanager.Url}", .. arguments]);
        Assert.True(result.ExitCode == 0, $"amtool silence query {string.Join(' ', arguments)}: {result.ExitCode}\n{result.Output}");
        return result.StandardOutput;
    }

    private Task ControlDeliveredAsync(int times, string why)
    {
        var target = FiringDeliveries(Control) + times;
        return Eventually.UntilAsync(() => FiringDeliveries(Control) >= target, Patience,
            $"{times} more deliveries of {Control} ({why}). Alertmanager log:", () => _alertmanager.Output);
    }

    [Fact]
    public async Task Silence_StopsAlertmanagerSendingTheAlert_AndUnsilenceExpiresIt()
    {
        await FireAsync();
        var id = await OccurrenceIdAsync();

        var response = await _relay.ReaderClient().PostAsJsonAsync($"/api/alerts/{id}/silence",
            new { by = "alice", duration = "1h", comment = "end-to-end silence" });

        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var silenceId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("silenceId").GetString()!;

        // amtool sees it, with the alert's labels as matchers.
        var query = await AmtoolAsync();
        Assert.Contains(silenceId, query);
        Assert.Contains($"alertname=\"{Silenced}\"", query);
        Assert.Contains("instance=\"db-1\"", query);
        Assert.Contains("alice", query);
        Assert.Equal(silenceId, (await AmtoolAsync("-q", $"alertname={Silenced}")).Trim());

        // Alertmanager suppresses it; while the control alert is re-sent twice, the silenced one is not sent at all.
        await Eventually.UntilAsync(async () => await AlertmanagerStateAsync() is ("suppressed", var by) && by.Contains(silenceId), Patience,
            $"{Silenced} suppressed by {silenceId} in Alertmanager");
        await ControlDeliveredAsync(1, "a delivery already under way when the silence came is over");
        var sentBefore = FiringDeliveries(Silenced);
        await ControlDeliveredAsync(2, "two repeat intervals");
        Assert.Equal(sentBefore, FiringDeliveries(Silenced));

        var deleted = await _relay.ReaderClient().DeleteAsync($"/api/alerts/{id}/silence?by=bob");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Contains(silenceId, await AmtoolAsync("--expired"));
        Assert.DoesNotContain(silenceId, await AmtoolAsync());
        await Eventually.UntilAsync(() => FiringDeliveries(Silenced) > sentBefore, Patience,
            $"Alertmanager to send {Silenced} again once unsilenced. Alertmanager log:", () => _alertmanager.Output);
        var detail = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        var events = detail.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("kind").GetString() is "silenced" or "unsilenced").ToList();
        Assert.Equal(["silenced", "unsilenced"], events.Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(silenceId, events[0].GetProperty("detail").GetProperty("silenceId").GetString());
        Assert.Equal("bob", events[1].GetProperty("detail").GetProperty("by").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("alert").GetProperty("silence").ValueKind);
    }

    /// <summary>How many of Alertmanager's deliveries to the second receiver so far carried a firing alert named <paramref name="alertname"/>.</summary>
    private int FiringDeliveries(string alertname) =>
        _recorder.Requests.Sum(r => r.Json?["alerts"]?.AsArray()
            .Count(a => (string?)a?["status"] == "firing" && (string?)a?["labels"]?["alertname"] == alertname) ?? 0);
}

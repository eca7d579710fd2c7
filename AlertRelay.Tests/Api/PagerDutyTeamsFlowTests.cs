using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AlertRelay.Tests.TestData;

namespace AlertRelay.Tests.Api;

/// <summary>
/// From Alertmanager's webhook to PagerDuty and Teams through the real host and its outbox: a firing alert triggers a PagerDuty
/// alert and posts a card; acknowledging it in AlertRelay acknowledges the PagerDuty alert (and posts nothing to Teams); its resolve
/// resolves the PagerDuty alert with the same dedup_key and posts a new card. A 429 from PagerDuty is retried after Retry-After.
/// </summary>
public sealed class PagerDutyTeamsFlowTests : IAsyncLifetime
{
    private PagerDutyStub _pagerDuty = null!;
    private TeamsStub _teams = null!;
    private AlertRelayApp _app = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _pagerDuty = await PagerDutyStub.StartAsync();
        _teams = await TeamsStub.StartAsync();
        _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(Path.Combine(_directory, "routing-key"), "0123456789abcdef0123456789abcdef\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "alertrelay.yml"), $"""
            route:
              receiver: pager
            receivers:
              - name: pager
                pagerduty_configs:
                  - routing_key_file: {_directory}/routing-key
                    url: {_pagerDuty.Url}
                    severity: '{"{{ severity }}"}'
                msteamsv2_configs:
                  - webhook_url: '{_teams.Url}'
            """);
        _app = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = Path.Combine(_directory, "alertrelay.yml"),
            ["AlertRelay:Notify:InitialBackoffSeconds"] = "0.2",
            ["AlertRelay:Notify:MaxBackoffSeconds"] = "1",
        });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _pagerDuty.DisposeAsync();
        await _teams.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task PostAsync(string fixture) =>
        (await _app.WebhookClient().PostAsync("/webhook", new StringContent(Fixtures.Text(fixture), Encoding.UTF8, "application/json")))
        .EnsureSuccessStatusCode();

    private static Task WaitForAsync(Func<bool> condition, string what) => Eventually.UntilAsync(condition, TimeSpan.FromSeconds(20), what);

    [Fact]
    public async Task Lifecycle_TriggersAcknowledgesAndResolvesOnePagerDutyAlert_AndPostsACardForFiringAndResolved()
    {
        _pagerDuty.AnswerNext(HttpStatusCode.TooManyRequests, retryAfterSeconds: 1);

        await PostAsync(Fixtures.FiringSingle);
        await WaitForAsync(() => _pagerDuty.Accepted.Count == 1 && _teams.Delivered.Count == 1, "the trigger (after a 429) and the firing card");
        var id = (await _app.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts")).GetProperty("items")[0].GetProperty("id").GetInt64();
        (await _app.ReaderClient().PostAsJsonAsync($"/api/alerts/{id}/ack", new { by = "alice" })).EnsureSuccessStatusCode();
        await WaitForAsync(() => _pagerDuty.Accepted.Count == 2, "the acknowledgement");
        await PostAsync(Fixtures.ResolvedSingle);
        await WaitForAsync(() => _pagerDuty.Accepted.Count == 3 && _teams.Delivered.Count == 2, "the resolve and the resolved card");

        Assert.Equal([429, 202, 202, 202], _pagerDuty.Requests.Select(r => r.Status));
        Assert.True(_pagerDuty.Requests[1].ReceivedAt - _pagerDuty.Requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "retried before Retry-After");
        Assert.Equal(["trigger", "acknowledge", "resolve"], _pagerDuty.Accepted.Select(e => e.Action));
        Assert.Single(_pagerDuty.Accepted.Select(e => e.DedupKey).Distinct());
        Assert.Equal("resolved", Assert.Single(_pagerDuty.Alerts).Value);
        Assert.Equal("critical", _pagerDuty.Accepted[0].Severity);
        Assert.Equal(["Attention", "Good"], _teams.Delivered.Select(r => r.Color));
        Assert.Equal(2, _teams.Requests.Count); // the acknowledgement posts no card
    }
}

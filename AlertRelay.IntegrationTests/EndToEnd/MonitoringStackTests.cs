using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Tests.Api;
using AlertRelay.Tests.TestData;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.IntegrationTests.EndToEnd;

/// <summary>
/// The whole chain on real binaries: the demo shop (failing on purpose) is scraped by a real Prometheus
/// evaluating the repository's alert rules, which fires through a real Alertmanager using the repository's
/// alertmanager.yml into AlertRelay, which stores the alert and notifies the Slack stub and the SMTP server.
/// Run alone with scripts/e2e.sh. Short intervals: scrape and evaluation every second, every rule's
/// <c>for</c> set to 0s and its 5m windows to 15s, Alertmanager's group timers to 1s.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class MonitoringStackTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "stack-" + Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _processes = [];
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private AlertRelayApp _relay = null!;
    private ServerProcess _shop = null!;
    private ServerProcess _prometheus = null!;
    private int _shopPort;
    private string _alertmanagerAuthority = "";

    /// <summary>How long the heartbeat waits for the Watchdog here (the shipped configuration says 5m): longer than this stack takes to start.</summary>
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(30);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();

        var relayConfig = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(relayConfig, $"""
            route:
              receiver: oncall
              routes:
                - matchers: ['alertname="Watchdog"']
                  receiver: blackhole
            receivers:
              - name: blackhole
              - name: oncall
                slack_configs:
                  - channel: '#alerts'
                    bot_token: {_slack.Token}
                    api_base_url: {_slack.BaseUrl}
                    send_resolved: true
                email_configs:
                  - to: ops@example.com
                    from: alertrelay@example.com
                    smarthost: {_smtp.Smarthost}
                    require_tls: false
                    send_resolved: true
            inhibit_rules:
              # While the API is down, its warnings are symptoms: mute them.
              - source_matchers: ['alertname="APIDown"']
                target_matchers: ['severity="warning"']
                equal: [service]
            heartbeats:
              # As in monitoring/alertrelay/alertrelay.yml, with a short timeout.
              - name: prometheus
                matchers: ['alertname="Watchdog"']
                timeout: {(int)HeartbeatTimeout.TotalSeconds}s
                receiver: oncall
            """);
        _relay = new AlertRelayApp(new()
        {
            ["AlertRelay:ConfigFile"] = relayConfig,
            ["AlertRelay:Heartbeats:CheckIntervalSeconds"] = "1",
        });
        var relayUrl = _relay.StartOnLoopback();

        _shopPort = FreePort.Get();
        _shop = await StartShopAsync();

        var alertmanager = await AlertmanagerProcess.StartAsync(AlertmanagerConfig(relayUrl), Path.Combine(_directory, "alertmanager"));
        _processes.Add(alertmanager);

        _alertmanagerAuthority = new Uri(alertmanager.Url).Authority;
        _prometheus = await StartPrometheusAsync();
        _processes.Add(_prometheus);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        await _shop.DisposeAsync();

        _relay.Dispose();
        await _slack.DisposeAsync();
        await _smtp.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>monitoring/alertmanager/alertmanager.yml, pointed at this AlertRelay with a token file, with 1 s grouping timers.</summary>
    private string AlertmanagerConfig(string relayUrl)
    {
        var tokenFile = Path.Combine(_directory, "webhook-token");
        File.WriteAllText(tokenFile, AlertRelayApp.WebhookToken);
        var yaml = File.ReadAllText(Path.Combine(RepositoryFiles.Root, "monitoring", "alertmanager", "alertmanager.yml"));
        yaml = Regex.Replace(yaml, @"https?://alertrelay:5001", relayUrl);
        yaml = Regex.Replace(yaml, @"credentials_file:\s*\S+", $"credentials_file: {tokenFile}");
        yaml = Regex.Replace(yaml, @"group_wait:\s*\S+", "group_wait: 1s");
        yaml = Regex.Replace(yaml, @"group_interval:\s*\S+", "group_interval: 1s");
        // The Watchdog's route alone repeats every minute: every 2 s here, well inside the heartbeat's timeout.
        yaml = Regex.Replace(yaml, @"repeat_interval:\s*1m\b", "repeat_interval: 2s");
        Assert.Contains(relayUrl, yaml);
        Assert.Contains("repeat_interval: 2s", yaml);
        return yaml;
    }

    private async Task<ServerProcess> StartShopAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryFiles.Root, "samples", "ECommerce.Api", "bin", configuration, "net10.0", "ECommerce.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (dotnet build AlertRelay.sln) first");
        return await ServerProcess.StartDotnetAsync(dll, _shopPort, "/api/health",
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
    }

    /// <summary>
    /// Prometheus scraping the shop every second and evaluating the shop's rules and the Watchdog with every <c>for</c> set to 0s; it
    /// re-sends firing alerts every second, so that an alert it no longer sends (it was stopped) ends in Alertmanager 4 s later.
    /// </summary>
    private async Task<ServerProcess> StartPrometheusAsync()
    {
        var (shop, alertmanager) = (new Uri(_shop.Url).Authority, _alertmanagerAuthority);
        var binary = DebianTool.Prometheus.Locate();
        var rules = new YamlStream();
        rules.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "monitoring", "prometheus", "rules", "ecommerce-demo.yml"))));
        var groups = (YamlSequenceNode)((YamlMappingNode)rules.Documents[0].RootNode).Children[new YamlScalarNode("groups")];
        var relayRules = new YamlStream();
        relayRules.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "monitoring", "prometheus", "rules", "alertrelay.yml"))));
        groups.Add(((YamlSequenceNode)((YamlMappingNode)relayRules.Documents[0].RootNode).Children[new YamlScalarNode("groups")])
            .Cast<YamlMappingNode>().Single(g => g.Children[new YamlScalarNode("name")].ToString() == "alertrelay-watchdog"));
        foreach (var group in groups)
        {
            foreach (var rule in ((YamlSequenceNode)((YamlMappingNode)group).Children[new YamlScalarNode("rules")]).Cast<YamlMappingNode>())
            {
                if (rule.Children.ContainsKey(new YamlScalarNode("for")))
                {
                    rule.Children[new YamlScalarNode("for")] = new YamlScalarNode("0s");
                }

                var expr = (YamlScalarNode)rule.Children[new YamlScalarNode("expr")];
                rule.Children[new YamlScalarNode("expr")] = new YamlScalarNode(expr.Value!.Replace("[5m]", "[15s]"));
            }
        }

        var rulesPath = Path.Combine(_directory, "alert_rules.yml");
        await using (var writer = new StreamWriter(rulesPath))
        {
            rules.Save(writer, assignAnchors: false);
        }

        var configPath = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files: ['{rulesPath}']
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ['{alertmanager}']
            scrape_configs:
              - job_name: ecommerce-api
                static_configs:
                  - targets: ['{shop}']
            """);
        var port = FreePort.Get();
        return await ServerProcess.StartAsync(binary, [
            $"--config.file={configPath}",
            $"--storage.tsdb.path={Path.Combine(_directory, "prometheus-data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            $"--web.external-url=http://127.0.0.1:{port}",
            "--rules.alert.resend-delay=1s",
        ], $"http://127.0.0.1:{port}", "/-/ready");
    }

    private static Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string> logs) =>
        Eventually.UntilAsync(condition, timeout, what, logs);

    private string Logs() =>
        $"--- Prometheus (tail) ---\n{Tail(_prometheus.Output)}\n--- shop (tail) ---\n{Tail(_shop.Output)}";

    private static string Tail(string text) => text[^Math.Min(3000, text.Length)..];

    private async Task<JsonElement> AlertAsync(string alertname)
    {
        var page = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}");
        return page.GetProperty("items")[0];
    }

    private async Task<string[]> TimelineAsync(long id) =>
        (await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("events").EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()!).ToArray();

    /// <summary>What a CI pipeline does to check the alert path: POST a synthetic alert to AlertRelay's webhook (see README).</summary>
    private async Task FireSyntheticAsync(string alertname, string severity)
    {
        var body = $$"""
            {"version":"4","status":"firing","receiver":"ci","alerts":[{"status":"firing",
              "labels":{"alertname":"{{alertname}}","severity":"{{severity}}","service":"ecommerce-api"},
              "annotations":{"summary":"synthetic check from CI"},"startsAt":"{{DateTimeOffset.UtcNow:O}}"}]}
            """;
        (await _relay.WebhookClient().PostAsync("/webhook", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Stack_FiresInhibitsResolvesAndDeliversSyntheticAlerts_OnRealBinaries()
    {
        using var shop = new HttpClient { BaseAddress = new Uri(_shop.Url) };

        // 1. Errors injected in the shop: HighErrorRate fires and reaches AlertRelay, Slack and email.
        (await shop.PutAsJsonAsync("/admin/faults", new { routes = new Dictionary<string, object> { ["/api/products"] = new { errorRate = 1.0 } } }))
            .EnsureSuccessStatusCode();
        var injectedAt = DateTime.UtcNow;
        await WaitForAsync(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await shop.GetAsync("/api/products"); // 500s, injected
            }

            return _slack.TopLevelMessages.Any(m => m.AllText.Contains("HighErrorRate"));
        }, TimeSpan.FromSeconds(90), "HighErrorRate reaching Slack", Logs);
        output.WriteLine($"fault injection -> Slack delivery: {(DateTime.UtcNow - injectedAt).TotalSeconds:0.0} s");
        await WaitForAsync(() => Task.FromResult(_smtp.Messages.Any(m => (m.Message.Subject ?? "").Contains("HighErrorRate"))),
            TimeSpan.FromSeconds(20), "HighErrorRate by email", Logs);

        var highErrorRate = await AlertAsync("HighErrorRate");
        Assert.Equal("firing", highErrorRate.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(highErrorRate.GetProperty("annotations").GetProperty("summary").GetString()));
        Assert.StartsWith(_prometheus.Url, highErrorRate.GetProperty("generatorURL").GetString());
        Assert.Contains("oncall", highErrorRate.GetProperty("receivers").EnumerateArray().Select(r => r.GetString()));

        // Every PromQL expression of the API dashboard runs on this Prometheus.
        await AssertDashboardQueriesRunAsync();

        // 2. The shop stops: APIDown fires, and a warning of the same service is muted while it does.
        await _shop.DisposeAsync();
        await WaitForAsync(async () => (await _relay.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?alertname=APIDown&status=firing"))
            .GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(60), "APIDown reaching AlertRelay", Logs);
        var apiDown = await AlertAsync("APIDown");
        await FireSyntheticAsync("ShopCheckoutSlow", "warning");
        var muted = await AlertAsync("ShopCheckoutSlow");
        Assert.Equal(apiDown.GetProperty("id").GetInt64(), muted.GetProperty("inhibitedBy").GetInt64());
        Assert.Contains("inhibited", await TimelineAsync(muted.GetProperty("id").GetInt64()));

        // 3. The shop is back, faults cleared, good traffic: HighErrorRate and APIDown resolve; the Slack
        //    message is updated and answered in its thread, the email threads; the muted warning is released.
        _shop = await StartShopAsync();
        using var restarted = new HttpClient { BaseAddress = new Uri(_shop.Url) };
        await WaitForAsync(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await restarted.GetAsync("/api/products");
            }

            return (await AlertAsync("HighErrorRate")).GetProperty("status").GetString() == "resolved"
                && (await AlertAsync("APIDown")).GetProperty("status").GetString() == "resolved";
        }, TimeSpan.FromSeconds(90), "HighErrorRate and APIDown resolving", Logs);
        await WaitForAsync(() => Task.FromResult(_slack.TopLevelMessages.Any(m => m.AllText.Contains("HighErrorRate") && m.UpdateCount > 0 && m.Replies.Count > 0)),
            TimeSpan.FromSeconds(20), "the Slack message of HighErrorRate updated and answered in its thread", Logs);
        await WaitForAsync(() => Task.FromResult(_smtp.Messages.Any(m => (m.Message.Subject ?? "").Contains("[RESOLVED] HighErrorRate") && m.Message.InReplyTo is not null)),
            TimeSpan.FromSeconds(20), "the resolved HighErrorRate email threaded under the firing one", Logs);
        var timeline = await TimelineAsync(highErrorRate.GetProperty("id").GetInt64());
        Assert.Equal(["received", "routed"], timeline.Take(2));
        Assert.Contains("resolved", timeline);
        Assert.True(timeline.Count(k => k == "notified") >= 4, string.Join(", ", timeline)); // firing + resolve, Slack + email
        var released = await AlertAsync("ShopCheckoutSlow");
        Assert.Equal("uninhibited", (await TimelineAsync(released.GetProperty("id").GetInt64())).First(k => k is "uninhibited" or "notified"));

        // 4. A synthetic alert fired the way a CI pipeline does arrives in Slack.
        await FireSyntheticAsync("CiSyntheticAlert", "info");
        await WaitForAsync(() => Task.FromResult(_slack.TopLevelMessages.Any(m => m.AllText.Contains("CiSyntheticAlert"))),
            TimeSpan.FromSeconds(20), "the synthetic alert reaching Slack", Logs);

        await HeartbeatAsync();
    }

    /// <summary>
    /// 5. The heartbeat: the Watchdog keeps arriving and nothing is raised; Prometheus stops → HeartbeatMissing reaches Slack one
    /// timeout after the last Watchdog; Prometheus starts again → it resolves and its Slack message is updated.
    /// </summary>
    private async Task HeartbeatAsync()
    {
        await WaitForAsync(async () => (await _relay.ReaderClient().GetFromJsonAsync<JsonElement>("/api/alerts?alertname=Watchdog&status=firing"))
            .GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(30), "the Watchdog reaching AlertRelay", Logs);
        Assert.DoesNotContain(_slack.TopLevelMessages, m => m.AllText.Contains("HeartbeatMissing")); // no false alarm while it arrives

        await _prometheus.DisposeAsync();
        _processes.Remove(_prometheus);
        var stoppedAt = DateTime.UtcNow;
        await WaitForAsync(() => Task.FromResult(_slack.TopLevelMessages.Any(m => m.AllText.Contains("HeartbeatMissing"))),
            HeartbeatTimeout + TimeSpan.FromSeconds(60), "HeartbeatMissing reaching Slack after Prometheus stopped", Logs);
        var missingAfter = DateTime.UtcNow - stoppedAt;
        output.WriteLine($"Prometheus stopped -> HeartbeatMissing in Slack: {missingAfter.TotalSeconds:0.0} s " +
            $"(the Watchdog ends in Alertmanager ~4 s after Prometheus stops, then the {HeartbeatTimeout.TotalSeconds:0} s timeout, checked every 1 s)");
        // Counted from the last Watchdog, which Alertmanager sends every 2 s until it ends (~4 s after the stop): never much before.
        Assert.True(missingAfter >= HeartbeatTimeout - TimeSpan.FromSeconds(3), $"HeartbeatMissing came {missingAfter.TotalSeconds:0.0} s after the stop, before the timeout");
        var missing = await AlertAsync("HeartbeatMissing");
        Assert.Equal("firing", missing.GetProperty("status").GetString());
        Assert.Equal("prometheus", missing.GetProperty("labels").GetProperty("heartbeat").GetString());
        Assert.Equal("critical", missing.GetProperty("labels").GetProperty("severity").GetString());
        Assert.Contains("oncall", missing.GetProperty("receivers").EnumerateArray().Select(r => r.GetString()));

        _prometheus = await StartPrometheusAsync();
        _processes.Add(_prometheus);
        var restartedAt = DateTime.UtcNow;
        await WaitForAsync(async () => (await AlertAsync("HeartbeatMissing")).GetProperty("status").GetString() == "resolved"
                && _slack.TopLevelMessages.Any(m => m.AllText.Contains("HeartbeatMissing") && m.UpdateCount > 0),
            TimeSpan.FromSeconds(60), "HeartbeatMissing resolved and its Slack message updated after Prometheus started again", Logs);
        output.WriteLine($"Prometheus started again -> HeartbeatMissing resolved, Slack message updated: {(DateTime.UtcNow - restartedAt).TotalSeconds:0.0} s");
        await WaitForAsync(() => Task.FromResult(_smtp.Messages.Any(m => (m.Message.Subject ?? "").Contains("[RESOLVED] HeartbeatMissing") && m.Message.InReplyTo is not null)),
            TimeSpan.FromSeconds(20), "the resolved HeartbeatMissing email threaded under the firing one", Logs);
    }

    private async Task AssertDashboardQueriesRunAsync()
    {
        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(
            Path.Combine(RepositoryFiles.Root, "monitoring", "grafana", "dashboards", "api-performance.json")));
        var expressions = new List<string>();
        Collect(dashboard.RootElement, expressions);
        Assert.NotEmpty(expressions);
        using var prometheus = new HttpClient { BaseAddress = new Uri(_prometheus.Url) };
        foreach (var expr in expressions.Distinct())
        {
            var query = expr.Replace("$route", ".*", StringComparison.Ordinal);
            var answer = await prometheus.GetFromJsonAsync<JsonElement>($"/api/v1/query?query={Uri.EscapeDataString(query)}");
            Assert.True(answer.GetProperty("status").GetString() == "success", $"{query}: {answer}");
        }

        output.WriteLine($"{expressions.Distinct().Count()} dashboard expressions evaluated on Prometheus");

        static void Collect(JsonElement element, List<string> found)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        found.Add(property.Value.GetString()!);
                    }
                    else
                    {
                        Collect(property.Value, found);
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, found);
                }
            }
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlertRelay.Tests.Api;
using AlertRelay.Tests.Configuration;
using AlertRelay.Tests.TestData;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.EndToEnd;

/// <summary>
/// The whole chain on real binaries: the demo shop (failing on purpose) is scraped by a real Prometheus
/// evaluating the repository's alert rules, which fires through a real Alertmanager using the repository's
/// alertmanager.yml into AlertRelay, which stores the alert and notifies the Slack stub and the SMTP server.
/// </summary>
public sealed class MonitoringStackTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "stack-" + Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _processes = [];
    private SlackStub _slack = null!;
    private SmtpSink _smtp = null!;
    private AlertRelayApp _relay = null!;
    private ServerProcess _shop = null!;
    private ServerProcess _prometheus = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _slack = await SlackStub.StartAsync();
        _smtp = await SmtpSink.StartAsync();

        var relayConfig = Path.Combine(_directory, "alertrelay.yml");
        await File.WriteAllTextAsync(relayConfig, $"""
            route:
              receiver: oncall
            receivers:
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
            """);
        _relay = new AlertRelayApp(new() { ["AlertRelay:ConfigFile"] = relayConfig });
        var relayUrl = _relay.StartOnLoopback();

        _shop = await StartShopAsync();
        _processes.Add(_shop);

        var alertmanager = await AlertmanagerProcess.StartAsync(AlertmanagerConfig(relayUrl), Path.Combine(_directory, "alertmanager"));
        _processes.Add(alertmanager);

        _prometheus = await StartPrometheusAsync(new Uri(_shop.Url).Authority, new Uri(alertmanager.Url).Authority);
        _processes.Add(_prometheus);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

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
        Assert.Contains(relayUrl, yaml);
        return yaml;
    }

    private async Task<ServerProcess> StartShopAsync()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryFiles.Root, "samples", "ECommerce.Api", "bin", configuration, "net10.0", "ECommerce.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution (dotnet build AlertRelay.sln) first");
        var port = FreePort.Get();
        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        return await ServerProcess.StartAsync(dotnet, [dll, "--urls", $"http://127.0.0.1:{port}"], $"http://127.0.0.1:{port}", "/api/health",
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
    }

    /// <summary>Prometheus scraping the shop every second and evaluating the repository's rules with every <c>for</c> set to 0s.</summary>
    private async Task<ServerProcess> StartPrometheusAsync(string shop, string alertmanager)
    {
        var binary = AlertmanagerProcess.FindOnPath("prometheus")
            ?? throw new InvalidOperationException("prometheus is not installed: run the tests with scripts/test.sh (Debian package prometheus)");
        var rules = new YamlStream();
        rules.Load(new StringReader(await File.ReadAllTextAsync(Path.Combine(RepositoryFiles.Root, "monitoring", "prometheus", "alert_rules.yml"))));
        foreach (var group in (YamlSequenceNode)((YamlMappingNode)rules.Documents[0].RootNode).Children[new YamlScalarNode("groups")])
        {
            foreach (var rule in ((YamlSequenceNode)((YamlMappingNode)group).Children[new YamlScalarNode("rules")]).Cast<YamlMappingNode>())
            {
                if (rule.Children.ContainsKey(new YamlScalarNode("for")))
                {
                    rule.Children[new YamlScalarNode("for")] = new YamlScalarNode("0s");
                }
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
        ], $"http://127.0.0.1:{port}", "/-/ready");
    }

    private async Task<JsonElement?> StoredAlertAsync(string alertname)
    {
        var page = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts?alertname={alertname}&status=firing");
        return page.GetProperty("items").GetArrayLength() > 0 ? page.GetProperty("items")[0] : null;
    }

    [Fact]
    public async Task FailingShop_FiresHighErrorRate_ThroughPrometheusAndAlertmanager_IntoAlertRelaySlackAndEmail()
    {
        using var shop = new HttpClient { BaseAddress = new Uri(_shop.Url) };
        (await shop.PutAsJsonAsync("/admin/faults", new { routes = new Dictionary<string, object> { ["/api/products"] = new { errorRate = 1.0 } } }))
            .EnsureSuccessStatusCode();

        JsonElement? stored = null;
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (stored is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"HighErrorRate never reached AlertRelay.\nPrometheus:\n{_prometheus.Output[^Math.Min(3000, _prometheus.Output.Length)..]}");
            for (var i = 0; i < 20; i++)
            {
                await shop.GetAsync("/api/products"); // 500s, injected
            }

            await Task.Delay(250);
            stored = await StoredAlertAsync("HighErrorRate");
        }

        var alert = stored.Value;
        Assert.False(string.IsNullOrEmpty(alert.GetProperty("annotations").GetProperty("summary").GetString()));
        Assert.StartsWith(_prometheus.Url, alert.GetProperty("generatorURL").GetString());
        Assert.Contains("oncall", alert.GetProperty("receivers").EnumerateArray().Select(r => r.GetString()));

        var notified = DateTime.UtcNow.AddSeconds(20);
        while (!(_slack.TopLevelMessages.Any(m => m.AllText.Contains("HighErrorRate")) && _smtp.Messages.Any(m => (m.Message.Subject ?? "").Contains("HighErrorRate"))))
        {
            Assert.True(DateTime.UtcNow < notified, "HighErrorRate was stored but not delivered to Slack and email");
            await Task.Delay(100);
        }

        var detail = await _relay.ReaderClient().GetFromJsonAsync<JsonElement>($"/api/alerts/{alert.GetProperty("id").GetInt64()}");
        var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["received", "routed"], kinds.Take(2));
        Assert.Contains("notified", kinds);
    }
}

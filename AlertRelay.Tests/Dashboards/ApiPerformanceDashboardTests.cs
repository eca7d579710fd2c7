using AlertRelay.Tests.TestData;
using System.Text.Json;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// The PromQL of api-performance.json: every expression parses (promtool check rules, each as a recording rule),
/// uses only metrics and labels the scraped targets export, and the ratio and latency panels compute the right
/// values on synthetic series (promtool test rules), including no division by zero without traffic.
/// </summary>
public sealed class ApiPerformanceDashboardTests
{
    /// <summary>What the demo e-commerce API (job ecommerce-api), node-exporter and cAdvisor export, with their labels.</summary>
    private static readonly Dictionary<string, string[]> KnownMetrics = new()
    {
        ["ecommerce_api_http_requests_total"] = ["method", "route", "status_code"],
        ["ecommerce_api_http_request_duration_seconds_bucket"] = ["method", "route", "le"],
        ["ecommerce_api_http_request_duration_seconds_sum"] = ["method", "route"],
        ["ecommerce_api_http_request_duration_seconds_count"] = ["method", "route"],
        ["ecommerce_api_active_users"] = [],
        ["ecommerce_api_orders_total"] = ["status"],
        ["ecommerce_api_products_in_stock"] = ["category"],
        ["process_resident_memory_bytes"] = [],
        ["process_cpu_seconds_total"] = [],
        ["node_cpu_seconds_total"] = ["cpu", "mode"],
        ["node_memory_MemTotal_bytes"] = [],
        ["node_memory_MemAvailable_bytes"] = [],
        ["container_cpu_usage_seconds_total"] = ["name", "image", "cpu"],
        ["container_memory_working_set_bytes"] = ["name", "image"],
    };

    /// <summary>Labels Prometheus adds to every scraped series.</summary>
    private static readonly string[] TargetLabels = ["job", "instance"];

    /// <summary>Values of $route Grafana may send: All (allValue), one route, several (a regex alternation).</summary>
    public static TheoryData<string> RouteValues() => new() { ".*", "/api/orders", "(/api/orders|/api/products/\\\\{id\\\\})" };

    public static TheoryData<int, string> PrometheusTargets()
    {
        var data = new TheoryData<int, string>();
        foreach (var target in GrafanaFiles.Targets(GrafanaFiles.ApiPerformance))
        {
            data.Add(target.PanelId, target.RefId);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RouteValues))]
    public async Task EveryExpression_ParsesWithPromtool(string route)
    {
        var targets = GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).ToList();
        Assert.NotEmpty(targets);
        var rules = targets.Select(t => new Dictionary<string, string>
        {
            ["record"] = $"dashboard:panel_{t.PanelId}_{t.RefId}",
            ["expr"] = PromQl.Interpolate(Expr(t), route),
        }).ToList();

        var directory = TempDirectory();
        try
        {
            // YAML is a superset of JSON: JSON keeps the quoting of the expressions exact.
            var file = Path.Combine(directory, "dashboard.rules.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { groups = new[] { new { name = "api-performance", rules } } }));

            var result = await DebianTool.Promtool.RunAsync("check", "rules", file);

            Assert.True(result.ExitCode == 0, $"promtool check rules failed:\n{result.Output}");
            Assert.Contains($"SUCCESS: {rules.Count} rules found", result.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Promtool_RejectsABrokenExpression()
    {
        var directory = TempDirectory();
        try
        {
            var file = Path.Combine(directory, "broken.rules.json");
            var broken = "histogram_quantile(0.95, sum by (le, route) (rate(ecommerce_api_http_request_duration_seconds_bucket[5m]))";
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { groups = new[] { new { name = "broken", rules = new[] { new { record = "x:y", expr = broken } } } } }));

            var result = await DebianTool.Promtool.RunAsync("check", "rules", file);

            Assert.NotEqual(0, result.ExitCode);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(PrometheusTargets))]
    public void EveryExpression_UsesOnlyExportedMetricsAndLabels(int panelId, string refId)
    {
        var target = GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).Single(t => t.PanelId == panelId && t.RefId == refId);
        Assert.Equal("prometheus", target.DatasourceUid);
        var expr = Expr(target);

        var metrics = PromQl.MetricNames(expr);
        Assert.NotEmpty(metrics);
        Assert.All(metrics, m => Assert.True(KnownMetrics.ContainsKey(m), $"{target}: unknown metric {m} in {expr}"));

        var allowedLabels = metrics.SelectMany(m => KnownMetrics[m]).Concat(TargetLabels).ToHashSet();
        Assert.All(PromQl.LabelNames(expr), l => Assert.True(allowedLabels.Contains(l), $"{target}: label {l} is not on {string.Join(", ", metrics)}: {expr}"));
    }

    [Fact]
    public void TheRouteVariable_ListsRoutesOfTheRequestCounter()
    {
        var dashboard = GrafanaFiles.LoadDashboard(GrafanaFiles.ApiPerformance);
        var route = Assert.Single(dashboard["templating"]!["list"]!.AsArray(), v => (string?)v!["name"] == "route")!;

        Assert.Equal("prometheus", (string?)route["datasource"]?["uid"]);
        Assert.Equal("label_values(ecommerce_api_http_requests_total, route)", (string?)route["query"]?["query"]);
        Assert.Equal(".*", (string?)route["allValue"]);
        Assert.True((bool?)route["includeAll"]);

        // Every panel on the request metrics follows the variable.
        var requestTargets = GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).Where(t => Expr(t).Contains("ecommerce_api_http_request")).ToList();
        Assert.NotEmpty(requestTargets);
        Assert.All(requestTargets, t => Assert.All(
            PromQl.Selectors(Expr(t)).Where(s => s.Metric.StartsWith("ecommerce_api_http_request", StringComparison.Ordinal)),
            s => Assert.Contains("route=~\"$route\"", s.Matchers)));
    }

    [Fact]
    public void ProcessMetrics_AreTheApisOnly()
    {
        var selectors = GrafanaFiles.Targets(GrafanaFiles.ApiPerformance)
            .SelectMany(t => PromQl.Selectors(Expr(t)))
            .Where(s => s.Metric.StartsWith("process_", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(["process_cpu_seconds_total", "process_resident_memory_bytes"], selectors.Select(s => s.Metric).Distinct().Order());
        Assert.All(selectors, s => Assert.Contains("job=\"ecommerce-api\"", s.Matchers));
    }

    [Fact]
    public void EveryDivision_IsGuardedAgainstZero()
    {
        foreach (var target in GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).Where(t => Expr(t).Contains(" / ")))
        {
            var expr = Expr(target);
            Assert.True(expr.Contains("> 0)") || expr.Contains("clamp_min("), $"{target}: division without a zero guard: {expr}");
        }
    }

    [Fact]
    public void ThePanelsTheBriefAsksFor_ArePresent()
    {
        var exprs = GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).Select(Expr).ToList();
        Assert.Contains("histogram_quantile(0.95, sum by (le, route) (rate(ecommerce_api_http_request_duration_seconds_bucket{route=~\"$route\"}[5m])))", exprs);
        Assert.Contains("histogram_quantile(0.5, sum by (le, route) (rate(ecommerce_api_http_request_duration_seconds_bucket{route=~\"$route\"}[5m])))", exprs);
        Assert.Contains("sum by (route) (rate(ecommerce_api_http_requests_total{route=~\"$route\"}[5m]))", exprs);
        foreach (var metric in KnownMetrics.Keys.Where(m => !m.StartsWith("container_", StringComparison.Ordinal) && !m.EndsWith("_sum", StringComparison.Ordinal) && !m.EndsWith("_count", StringComparison.Ordinal)))
        {
            Assert.Contains(exprs, e => PromQl.MetricNames(e).Contains(metric));
        }
    }

    [Fact]
    public async Task RatiosAndLatencies_ComputeTheExpectedValues_AndZeroWithoutTraffic()
    {
        string E(int panel) => PromQl.Interpolate(Expr(GrafanaFiles.Targets(GrafanaFiles.ApiPerformance).Single(t => t.PanelId == panel)), ".*");
        const string api = "job=\"ecommerce-api\",instance=\"api:3000\"";

        // 1-minute samples: a counter growing by 60 per minute is 1 request/s.
        var traffic = new object[]
        {
            Series($"ecommerce_api_http_requests_total{{{api},method=\"GET\",route=\"/api/products\",status_code=\"200\"}}", "0+180x20"),
            Series($"ecommerce_api_http_requests_total{{{api},method=\"POST\",route=\"/api/orders\",status_code=\"201\"}}", "0+60x20"),
            Series($"ecommerce_api_http_requests_total{{{api},method=\"POST\",route=\"/api/orders\",status_code=\"500\"}}", "0+60x20"),
            Series($"ecommerce_api_http_requests_total{{{api},method=\"GET\",route=\"/health\",status_code=\"200\"}}", "7+0x20"), // no traffic
            Series($"ecommerce_api_orders_total{{{api},status=\"created\"}}", "0+60x20"),
            Series($"ecommerce_api_orders_total{{{api},status=\"failed\"}}", "0+15x20"),
            // 20 requests/s: 10 under 0.25 s, 18 under 0.5 s, all under 1 s.
            Series($"ecommerce_api_http_request_duration_seconds_bucket{{{api},method=\"GET\",route=\"/api/products\",le=\"0.25\"}}", "0+600x20"),
            Series($"ecommerce_api_http_request_duration_seconds_bucket{{{api},method=\"GET\",route=\"/api/products\",le=\"0.5\"}}", "0+1080x20"),
            Series($"ecommerce_api_http_request_duration_seconds_bucket{{{api},method=\"GET\",route=\"/api/products\",le=\"1\"}}", "0+1200x20"),
            Series($"ecommerce_api_http_request_duration_seconds_bucket{{{api},method=\"GET\",route=\"/api/products\",le=\"+Inf\"}}", "0+1200x20"),
        };
        var idle = new object[]
        {
            Series($"ecommerce_api_http_requests_total{{{api},method=\"GET\",route=\"/api/products\",status_code=\"200\"}}", "50+0x20"),
            Series($"ecommerce_api_http_requests_total{{{api},method=\"POST\",route=\"/api/orders\",status_code=\"500\"}}", "3+0x20"),
            Series($"ecommerce_api_orders_total{{{api},status=\"created\"}}", "9+0x20"),
        };

        var tests = new object[]
        {
            new
            {
                interval = "1m",
                input_series = traffic,
                promql_expr_test = new object[]
                {
                    Expect(E(2), ("{}", 0.2)), // 1 of 5 requests/s is a 500
                    Expect(E(9), ("{route=\"/api/orders\"}", 0.5), ("{route=\"/api/products\"}", 0.0)), // /health has no traffic: absent, not NaN
                    Expect(E(5), ("{}", 0.2)), // 0.25 failed of 1.25 orders/s
                    Expect(E(10), ("{route=\"/api/products\"}", 0.25)),
                    Expect(E(11), ("{route=\"/api/products\"}", 0.75)),
                    Expect(E(3), ("{}", 0.75)),
                    Expect(E(1), ("{}", 5.0)),
                },
            },
            new
            {
                interval = "1m",
                input_series = idle,
                promql_expr_test = new object[]
                {
                    Expect(E(2), ("{}", 0.0)),
                    Expect(E(5), ("{}", 0.0)),
                    Expect(E(9)),
                },
            },
        };

        var directory = TempDirectory();
        try
        {
            var file = Path.Combine(directory, "dashboard.test.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["rule_files"] = Array.Empty<string>(),
                ["evaluation_interval"] = "1m",
                ["tests"] = tests,
            }));

            var result = await DebianTool.Promtool.RunAsync("test", "rules", file);

            Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Output}");
            Assert.Contains("SUCCESS", result.Output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Expr(DashboardTarget target) => (string?)target.Target["expr"] ?? throw new InvalidOperationException($"{target} has no expr");

    private static object Series(string series, string values) => new { series, values };

    private static object Expect(string expr, params (string Labels, double Value)[] samples) => new
    {
        expr,
        eval_time = "10m",
        exp_samples = samples.Select(s => new { labels = s.Labels, value = s.Value }).ToArray(),
    };

    /// <summary>A fresh temporary directory for rule and test files; the caller deletes it.</summary>
    private static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "alertrelay-tests", "promtool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}

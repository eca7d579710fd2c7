using AlertRelay.Tests.TestData;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>monitoring/blackbox/blackbox.yml: the exporter accepts it, and Prometheus' probe jobs use its modules the standard way.</summary>
public class BlackboxConfigTests
{
    [Fact]
    public async Task ConfigCheck_Succeeds()
    {
        var result = await DebianTool.BlackboxExporter.RunAsync("--config.check", $"--config.file={MonitoringFiles.BlackboxConfigRelative}");

        Assert.True(result.ExitCode == 0, $"prometheus-blackbox-exporter --config.check failed:\n{result.Output}");
        Assert.Contains("Config file is ok", result.Output);
    }

    [Fact]
    public void ProbeJob_ProbesTheApiHealthAndProducts_WithTheStandardRelabelling()
    {
        var probes = PrometheusConfigTests.ScrapeConfigs().Where(config => config.Text("metrics_path") == "/probe").ToList();
        var job = Assert.Single(probes);

        Assert.Equal("blackbox-http", job.Text("job_name"));
        Assert.Equal(
            ["http://api:3000/api/health", "http://api:3000/api/products"],
            PrometheusConfigTests.StaticTargets(job).Order(StringComparer.Ordinal));

        // __address__ -> the target parameter -> the instance label; the scrape itself goes to the exporter.
        var relabel = job.Seq("relabel_configs").OfType<YamlMappingNode>().ToList();
        Assert.Contains(relabel, rule => Sources(rule) == "__address__" && rule.Text("target_label") == "__param_target");
        Assert.Contains(relabel, rule => Sources(rule) == "__param_target" && rule.Text("target_label") == "instance");
        Assert.Contains(relabel, rule => rule.Text("target_label") == "__address__" && rule.Text("replacement") == "blackbox-exporter:9115");
    }

    [Fact]
    public void ProbeModules_UsedByPrometheus_AreDefined()
    {
        var modules = Yaml.Load(MonitoringFiles.BlackboxConfig).Map("modules")?.Keys().ToHashSet() ?? [];
        var used = PrometheusConfigTests.ScrapeConfigs()
            .Where(config => config.Text("metrics_path") == "/probe")
            .SelectMany(config => config.Map("params")?.Seq("module") ?? [])
            .Select(module => module.Text())
            .ToList();

        Assert.NotEmpty(used);
        Assert.All(used, module => Assert.True(modules.Contains(module!), $"module {module} is not defined in {MonitoringFiles.BlackboxConfigRelative}"));
        Assert.Equal("http", Yaml.Load(MonitoringFiles.BlackboxConfig).Map("modules")!.Map("http_2xx")?.Text("prober"));
    }

    private static string Sources(YamlMappingNode rule) => string.Join(";", rule.Seq("source_labels").Select(label => label.Text()));
}

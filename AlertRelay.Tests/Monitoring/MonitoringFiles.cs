using AlertRelay.Tests.Configuration;

namespace AlertRelay.Tests.Monitoring;

/// <summary>The monitoring configuration files in the repository, by absolute path and by path relative to its root.</summary>
public static class MonitoringFiles
{
    public const string PrometheusConfigRelative = "monitoring/prometheus/prometheus.yml";
    public const string AlertRulesRelative = "monitoring/prometheus/alert_rules.yml";
    public const string RuleTestsDirectoryRelative = "monitoring/prometheus/tests";
    public const string AlertmanagerConfigRelative = "monitoring/alertmanager/alertmanager.yml";
    public const string BlackboxConfigRelative = "monitoring/blackbox/blackbox.yml";
    public const string AlertRelayConfigRelative = "monitoring/alertrelay/alertrelay.yml";
    public const string ComposeRelative = "docker-compose.yml";
    public const string ComposeMonitoringRelative = "docker-compose.monitoring.yml";

    /// <summary>Where AlertRelay and Alertmanager find the webhook token (the compose secret alertrelay-webhook-token).</summary>
    public const string WebhookTokenPath = "/run/secrets/alertrelay-webhook-token";

    /// <summary>The runbook every alert links to; the pages live in docs/runbooks/ (to be written).</summary>
    public static string RunbookUrl(string alertName) =>
        $"https://github.com/alertrelay/alertrelay/blob/main/docs/runbooks/{alertName}.md";

    public static string PrometheusConfig => Absolute(PrometheusConfigRelative);

    public static string AlertRules => Absolute(AlertRulesRelative);

    public static string AlertmanagerConfig => Absolute(AlertmanagerConfigRelative);

    public static string BlackboxConfig => Absolute(BlackboxConfigRelative);

    public static string AlertRelayConfig => Absolute(AlertRelayConfigRelative);

    /// <summary>Both compose files, in the order they are given to compose (-f docker-compose.yml -f docker-compose.monitoring.yml).</summary>
    public static IReadOnlyList<string> ComposeFilesRelative { get; } = [ComposeRelative, ComposeMonitoringRelative];

    /// <summary>The promtool unit-test files, relative to the repository root, sorted.</summary>
    public static IReadOnlyList<string> RuleTestFilesRelative() =>
        Directory.GetFiles(Absolute(RuleTestsDirectoryRelative), "*.yml")
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string Absolute(string relative) => Path.GetFullPath(Path.Combine(RepositoryFiles.Root, relative));
}

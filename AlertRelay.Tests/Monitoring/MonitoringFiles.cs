using AlertRelay.Tests.Configuration;

namespace AlertRelay.Tests.Monitoring;

/// <summary>The monitoring configuration files in the repository, by absolute path and by path relative to its root.</summary>
public static class MonitoringFiles
{
    public const string PrometheusConfigRelative = "monitoring/prometheus/prometheus.yml";

    /// <summary>AlertRelay's own alerts and the Watchdog: the rule file that goes wherever AlertRelay runs.</summary>
    public const string AlertRelayRulesRelative = "monitoring/prometheus/rules/alertrelay.yml";

    /// <summary>The demo shop's and its host's alerts: an example of a monitored service, not part of AlertRelay.</summary>
    public const string EcommerceDemoRulesRelative = "monitoring/prometheus/rules/ecommerce-demo.yml";

    public const string RuleTestsDirectoryRelative = "monitoring/prometheus/tests";
    public const string AlertmanagerConfigRelative = "monitoring/alertmanager/alertmanager.yml";

    /// <summary>Alertmanager for the compose profile ha: every webhook to both PostgreSQL replicas.</summary>
    public const string AlertmanagerHaConfigRelative = "monitoring/alertmanager/alertmanager-ha.yml";

    /// <summary>The scripts the postgres service of the profile ha runs on its first start (/docker-entrypoint-initdb.d).</summary>
    public const string PostgresInitDirectoryRelative = "monitoring/postgres/initdb";
    public const string BlackboxConfigRelative = "monitoring/blackbox/blackbox.yml";
    public const string AlertRelayConfigRelative = "monitoring/alertrelay/alertrelay.yml";
    public const string ComposeRelative = "docker-compose.yml";
    public const string ComposeMonitoringRelative = "docker-compose.monitoring.yml";

    /// <summary>Where AlertRelay and Alertmanager find the webhook token (the compose secret alertrelay-webhook-token).</summary>
    public const string WebhookTokenPath = "/run/secrets/alertrelay-webhook-token";

    /// <summary>Every rule file Prometheus loads, AlertRelay's first, relative to the repository root.</summary>
    public static IReadOnlyList<string> RuleFilesRelative { get; } = [AlertRelayRulesRelative, EcommerceDemoRulesRelative];

    /// <summary>
    /// The runbook an alert of <paramref name="ruleFileRelative"/> links to: its page in the runbook group named after the
    /// rule file (docs/runbooks/alertrelay/, docs/runbooks/ecommerce-demo/).
    /// </summary>
    public static string RunbookUrl(string ruleFileRelative, string alertName) =>
        $"https://github.com/alertrelay/alertrelay/blob/main/docs/runbooks/{RunbookGroup(ruleFileRelative)}/{alertName}.md";

    /// <summary>The runbook directory under docs/runbooks/ of a rule file's alerts: the rule file's name.</summary>
    public static string RunbookGroup(string ruleFileRelative) => Path.GetFileNameWithoutExtension(ruleFileRelative);

    public static string PrometheusConfig => Absolute(PrometheusConfigRelative);

    public static string AlertmanagerConfig => Absolute(AlertmanagerConfigRelative);

    public static string AlertmanagerHaConfig => Absolute(AlertmanagerHaConfigRelative);

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

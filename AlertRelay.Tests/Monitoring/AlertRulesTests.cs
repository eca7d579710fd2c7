namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// The Prometheus rule files — monitoring/prometheus/rules/alertrelay.yml (AlertRelay itself) and ecommerce-demo.yml (the
/// demo shop) — and their promtool unit tests: the required alerts exist, each in its file, each carries what AlertRelay
/// and the on-call need (for, severity, summary, description, runbook_url), and each is tested both firing and not
/// firing. AlertRelay's file stays about AlertRelay, so it can be deployed without the demo.
/// </summary>
public class AlertRulesTests
{
    private static readonly string[] RequiredAlertRelayAlerts =
    [
        "AlertRelayDown", "AlertRelayNotificationsFailing", "AlertRelayOutboxBacklog", "AlertRelayConfigReloadFailed", "AlertRelayIngestFailing",
        "AlertRelayIngestLagging",
        "Watchdog",
    ];

    private static readonly string[] RequiredDemoAlerts =
    [
        "HighResponseTime", "HighErrorRate", "LowRequestRate", "APIDown", "HighMemoryUsage", "LowStock",
    ];

    private static readonly string[] Severities = ["critical", "warning", "info"];

    /// <summary>The <c>service</c> labels of AlertRelay's own alerts: AlertRelay, and the alerting chain (the Watchdog).</summary>
    private static readonly string[] AlertRelayServices = ["alertrelay", "monitoring"];

    public static TheoryData<string> AlertNames()
    {
        var data = new TheoryData<string>();
        foreach (var rule in Rules())
        {
            data.Add(rule.Name);
        }

        return data;
    }

    [Fact]
    public void AlertRules_DefineEveryRequiredAlert_OnceEach()
    {
        var names = Rules().Select(rule => rule.Name).ToList();

        Assert.All(RequiredAlertRelayAlerts.Concat(RequiredDemoAlerts), required => Assert.Contains(required, names));
        Assert.Empty(names.GroupBy(name => name).Where(group => group.Count() > 1).Select(group => group.Key));
    }

    [Theory]
    [InlineData(MonitoringFiles.AlertRelayRulesRelative)]
    [InlineData(MonitoringFiles.EcommerceDemoRulesRelative)]
    public void RuleFile_DefinesTheRequiredAlertsOfItsGroup(string ruleFile)
    {
        var required = ruleFile == MonitoringFiles.AlertRelayRulesRelative ? RequiredAlertRelayAlerts : RequiredDemoAlerts;
        var names = AlertRule.Load(ruleFile).Select(rule => rule.Name).ToList();

        Assert.All(required, alert => Assert.True(names.Contains(alert), $"{ruleFile}: no alert {alert}"));
    }

    [Fact]
    public void AlertRelayRules_AreAboutAlertRelay_AndTheDemoRules_AboutTheDemo()
    {
        var errors = new List<string>();
        foreach (var rule in Rules())
        {
            var service = rule.Labels.GetValueOrDefault("service", "");
            if (rule.File == MonitoringFiles.AlertRelayRulesRelative)
            {
                if (!AlertRelayServices.Contains(service))
                {
                    errors.Add($"{rule.File}: {rule.Name} has service=\"{service}\", not one of {string.Join(", ", AlertRelayServices)}: does it belong to {MonitoringFiles.EcommerceDemoRulesRelative}?");
                }

                foreach (var foreign in new[] { "ecommerce", "node_", "probe_", "container_" })
                {
                    if (rule.Expr.Contains(foreign, StringComparison.Ordinal))
                    {
                        errors.Add($"{rule.File}: {rule.Name} queries {foreign}* series of the demo stack");
                    }
                }
            }
            else
            {
                if (AlertRelayServices.Contains(service) || rule.Expr.Contains("alertrelay", StringComparison.Ordinal))
                {
                    errors.Add($"{rule.File}: {rule.Name} is about AlertRelay (service=\"{service}\"): it belongs to {MonitoringFiles.AlertRelayRulesRelative}");
                }
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Rule_HasForSeverityAndAnnotations(string alertName)
    {
        var rule = Rules().Single(rule => rule.Name == alertName);

        Assert.False(string.IsNullOrWhiteSpace(rule.For), $"{alertName}: no `for:`");
        _ = AlertRelay.Core.Configuration.PrometheusDuration.Parse(rule.For!);
        Assert.True(
            rule.Labels.TryGetValue("severity", out var severity) && Severities.Contains(severity),
            $"{alertName}: label severity must be one of {string.Join(", ", Severities)}, was '{severity}'");
        foreach (var annotation in new[] { "summary", "description" })
        {
            Assert.True(
                rule.Annotations.TryGetValue(annotation, out var text) && !string.IsNullOrWhiteSpace(text),
                $"{alertName}: no {annotation} annotation");
        }

        Assert.True(rule.Annotations.TryGetValue("runbook_url", out var runbook), $"{alertName}: no runbook_url annotation");
        Assert.Equal(MonitoringFiles.RunbookUrl(rule.File, alertName), runbook);
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_HasUnitTests_ShowingItFiringAndNotFiring(string alertName)
    {
        var rule = Rules().Single(rule => rule.Name == alertName);
        var cases = TestCases().Where(test => test.AlertName == alertName && test.RuleFiles.Contains(MonitoringFiles.Absolute(rule.File))).ToList();

        var firing = cases.Where(test => test.ShowsFiring).ToList();
        Assert.True(firing.Count > 0, $"{alertName}: no alert_rule_test in {MonitoringFiles.RuleTestsDirectoryRelative} expects it firing");
        Assert.True(cases.Any(test => !test.ShowsFiring), $"{alertName}: no alert_rule_test in {MonitoringFiles.RuleTestsDirectoryRelative} expects it not firing (exp_alerts: [])");

        // The firing expectations spell out the labels and the rendered annotations (promtool compares them exactly).
        foreach (var test in firing)
        {
            foreach (var expected in test.ExpAlerts)
            {
                Assert.True(
                    expected.Labels.TryGetValue("severity", out var severity) && severity == rule.Labels["severity"],
                    $"{test}: exp_labels must include severity: {rule.Labels["severity"]}");
                foreach (var annotation in new[] { "summary", "description", "runbook_url" })
                {
                    Assert.True(expected.Annotations.ContainsKey(annotation), $"{test}: exp_annotations must include {annotation}");
                }
            }
        }
    }

    [Fact]
    public void UnitTests_LoadTheAlertRules_AndNameOnlyAlertsThatExist()
    {
        // An alert_rule_test of a misspelled alert with exp_alerts: [] would pass vacuously.
        var rules = Rules();
        var cases = TestCases();

        Assert.NotEmpty(cases);
        Assert.All(cases, test =>
        {
            var loaded = rules.Where(rule => test.RuleFiles.Contains(MonitoringFiles.Absolute(rule.File))).ToList();
            Assert.True(loaded.Count > 0, $"{test}: rule_files loads none of {string.Join(", ", MonitoringFiles.RuleFilesRelative)}");
            Assert.True(
                loaded.Any(rule => rule.Name == test.AlertName),
                $"{test}: alertname '{test.AlertName}' is not an alert of the rule files it loads ({string.Join(", ", loaded.Select(rule => rule.File).Distinct())})");
        });
    }

    [Fact]
    public void UnitTestFiles_EachLoadOneRuleFile()
    {
        // So that a rule file and its tests run on their own: promtool test rules tests/alertrelay_test.yml with only
        // rules/alertrelay.yml, wherever AlertRelay's rules are deployed without the demo.
        var ruleFiles = MonitoringFiles.RuleFilesRelative.Select(MonitoringFiles.Absolute).ToList();
        foreach (var group in TestCases().GroupBy(test => test.File))
        {
            var loaded = group.First().RuleFiles;
            Assert.True(
                loaded.Count == 1 && ruleFiles.Contains(loaded[0]),
                $"{group.Key}: rule_files must be exactly one of {string.Join(", ", MonitoringFiles.RuleFilesRelative)}, was {string.Join(", ", loaded)}");
        }
    }

    private static IReadOnlyList<AlertRule> Rules() => AlertRule.LoadAll();

    private static IReadOnlyList<AlertRuleTestCase> TestCases() => AlertRuleTestCase.Load(MonitoringFiles.RuleTestFilesRelative());
}

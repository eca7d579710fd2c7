namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// monitoring/prometheus/alert_rules.yml and its promtool unit tests: the required alerts exist, each carries what
/// AlertRelay and the on-call need (for, severity, summary, description, runbook_url), and each is tested both firing
/// and not firing.
/// </summary>
public class AlertRulesTests
{
    private static readonly string[] RequiredAlerts =
    [
        "HighResponseTime", "HighErrorRate", "LowRequestRate", "APIDown", "HighMemoryUsage", "LowStock",
        "AlertRelayDown", "AlertRelayNotificationsFailing", "AlertRelayOutboxBacklog", "AlertRelayConfigReloadFailed", "AlertRelayIngestFailing",
        "Watchdog",
    ];

    private static readonly string[] Severities = ["critical", "warning", "info"];

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

        Assert.All(RequiredAlerts, required => Assert.Contains(required, names));
        Assert.Empty(names.GroupBy(name => name).Where(group => group.Count() > 1).Select(group => group.Key));
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
        Assert.Equal(MonitoringFiles.RunbookUrl(alertName), runbook);
    }

    [Theory]
    [MemberData(nameof(AlertNames))]
    public void Alert_HasUnitTests_ShowingItFiringAndNotFiring(string alertName)
    {
        var rule = Rules().Single(rule => rule.Name == alertName);
        var cases = TestCases().Where(test => test.AlertName == alertName && test.RuleFiles.Contains(MonitoringFiles.AlertRules)).ToList();

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
        var names = Rules().Select(rule => rule.Name).ToHashSet(StringComparer.Ordinal);
        var cases = TestCases();

        Assert.NotEmpty(cases);
        Assert.All(cases, test =>
        {
            Assert.True(names.Contains(test.AlertName), $"{test}: alertname '{test.AlertName}' is not an alert of {MonitoringFiles.AlertRulesRelative}");
            Assert.True(test.RuleFiles.Contains(MonitoringFiles.AlertRules), $"{test}: rule_files does not load {MonitoringFiles.AlertRulesRelative}");
        });
    }

    private static IReadOnlyList<AlertRule> Rules() => AlertRule.Load(MonitoringFiles.AlertRules);

    private static IReadOnlyList<AlertRuleTestCase> TestCases() => AlertRuleTestCase.Load(MonitoringFiles.RuleTestFilesRelative());
}

using AlertRelay.Tests.Configuration;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>
/// One <c>alert_rule_test</c> of a promtool unit-test file: at <see cref="EvalTime"/>, exactly <see cref="ExpAlerts"/> of
/// <see cref="AlertName"/> are firing (none: the alert is shown not firing).
/// </summary>
public sealed record AlertRuleTestCase(
    string File,
    string TestName,
    IReadOnlyList<string> RuleFiles,
    string AlertName,
    string EvalTime,
    IReadOnlyList<ExpectedAlert> ExpAlerts)
{
    public bool ShowsFiring => ExpAlerts.Count > 0;

    public override string ToString() => $"{File}: \"{TestName}\" at {EvalTime}";

    /// <summary>Every alert_rule_test of every file in <paramref name="relativeFiles"/>; <see cref="RuleFiles"/> are resolved to absolute paths.</summary>
    public static IReadOnlyList<AlertRuleTestCase> Load(IEnumerable<string> relativeFiles)
    {
        var cases = new List<AlertRuleTestCase>();
        foreach (var relative in relativeFiles)
        {
            var path = Path.Combine(RepositoryFiles.Root, relative);
            var root = Yaml.Load(path);
            var ruleFiles = root.Seq("rule_files")
                .Select(file => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, file.Text() ?? "")))
                .ToList();
            foreach (var test in root.Seq("tests").OfType<YamlMappingNode>())
            {
                var testName = test.Text("name") ?? "(unnamed)";
                foreach (var alertTest in test.Seq("alert_rule_test").OfType<YamlMappingNode>())
                {
                    var expected = alertTest.Seq("exp_alerts").OfType<YamlMappingNode>()
                        .Select(alert => new ExpectedAlert(
                            AlertRule.Strings(alert.Map("exp_labels")),
                            AlertRule.Strings(alert.Map("exp_annotations"))))
                        .ToList();
                    cases.Add(new AlertRuleTestCase(
                        relative, testName, ruleFiles, alertTest.Text("alertname") ?? "", alertTest.Text("eval_time") ?? "", expected));
                }
            }
        }

        return cases;
    }
}

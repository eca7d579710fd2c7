using System.Text.RegularExpressions;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Tests.Configuration;
using AlertRelay.Tests.Monitoring;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Runbooks;

/// <summary>
/// docs/runbooks/ and the rule files in monitoring/prometheus/rules/ stay in step: the pages of a rule file's alerts are in
/// the group directory named after it (docs/runbooks/alertrelay/ for rules/alertrelay.yml, docs/runbooks/ecommerce-demo/
/// for rules/ecommerce-demo.yml); every alert has a page its runbook_url points at, every page is about an alert of its
/// group that still exists, and the index lists every page.
/// </summary>
public sealed partial class RunbookTests
{
    private const string UrlSuffixDirectory = "docs/runbooks/";

    private static string RunbookDirectory => Path.Combine(RepositoryFiles.Root, "docs", "runbooks");

    private static string IndexFile => Path.Combine(RunbookDirectory, "README.md");

    /// <summary>The alerts AlertRelay raises itself (no rule file has them); their pages are in docs/runbooks/alertrelay/.</summary>
    private static readonly string[] RaisedByAlertRelay = [HeartbeatAlert.AlertName];

    [Fact]
    public void The_rule_files_have_alerts()
    {
        Assert.All(MonitoringFiles.RuleFilesRelative, file => Assert.Contains(LoadRules(), rule => rule.File == file));
    }

    [Fact]
    public void Every_alert_rule_has_a_runbook_page()
    {
        var missing = LoadRules()
            .Where(rule => !File.Exists(Path.Combine(RunbookDirectory, rule.Group, rule.Alert + ".md")))
            .Select(rule => $"{rule.Group}/{rule.Alert}")
            .ToList();

        Assert.True(missing.Count == 0, $"alerts without docs/runbooks/<rule file>/<AlertName>.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_alert_rule_has_a_runbook_url_pointing_at_its_page()
    {
        var errors = new List<string>();
        foreach (var rule in LoadRules())
        {
            var page = $"{UrlSuffixDirectory}{rule.Group}/{rule.Alert}.md";
            if (string.IsNullOrWhiteSpace(rule.RunbookUrl))
            {
                errors.Add($"{rule.Alert}: no runbook_url annotation");
            }
            else if (!rule.RunbookUrl.EndsWith(page, StringComparison.Ordinal))
            {
                errors.Add($"{rule.Alert}: runbook_url {rule.RunbookUrl} does not end with {page}");
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void HeartbeatMissing_links_its_runbook_page_like_the_rules_do()
    {
        Assert.Equal(HeartbeatAlert.RunbookUrl, MonitoringFiles.RunbookUrl(MonitoringFiles.AlertRelayRulesRelative, HeartbeatAlert.AlertName));
        Assert.True(File.Exists(Path.Combine(RunbookDirectory, "alertrelay", HeartbeatAlert.AlertName + ".md")));
    }

    [Fact]
    public void Every_runbook_page_is_about_an_existing_alert_of_its_group()
    {
        var rules = LoadRules();
        var errors = new List<string>();
        foreach (var page in Pages())
        {
            var group = Path.GetFileName(Path.GetDirectoryName(page))!;
            var name = Path.GetFileNameWithoutExtension(page);
            var alerts = rules.Where(rule => rule.Group == group).Select(rule => rule.Alert).ToHashSet(StringComparer.Ordinal);
            if (group == "alertrelay")
            {
                alerts.UnionWith(RaisedByAlertRelay);
            }

            if (!alerts.Contains(name))
            {
                errors.Add($"{group}/{name}.md: no alert {name} in rules/{group}.yml (renamed, removed or in the other group?)");
            }

            var firstLine = File.ReadLines(page).FirstOrDefault() ?? "";
            var heading = HeadingPattern().Match(firstLine);
            if (!heading.Success)
            {
                errors.Add($"{group}/{name}.md: the first line is not a heading '# <AlertName>': '{firstLine}'");
            }
            else if (!alerts.Contains(heading.Groups["name"].Value))
            {
                errors.Add($"{group}/{name}.md: its heading names {heading.Groups["name"].Value}, which is not an alert in rules/{group}.yml");
            }
            else if (heading.Groups["name"].Value != name)
            {
                errors.Add($"{group}/{name}.md: its heading names {heading.Groups["name"].Value}, not {name}");
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Runbook_pages_are_only_in_the_group_directories()
    {
        var groups = MonitoringFiles.RuleFilesRelative.Select(MonitoringFiles.RunbookGroup).ToHashSet(StringComparer.Ordinal);
        var loose = Directory.GetFiles(RunbookDirectory, "*.md")
            .Select(Path.GetFileName)
            .Where(file => !string.Equals(file, "README.md", StringComparison.OrdinalIgnoreCase))
            .ToList();
        var strayDirectories = Directory.GetDirectories(RunbookDirectory).Select(Path.GetFileName).OfType<string>()
            .Where(directory => !groups.Contains(directory))
            .ToList();

        Assert.True(loose.Count == 0, $"pages outside a group directory of docs/runbooks/: {string.Join(", ", loose)}");
        Assert.True(strayDirectories.Count == 0, $"docs/runbooks/ directories without a rule file of that name: {string.Join(", ", strayDirectories)}");
    }

    [Fact]
    public void The_index_links_every_page_and_only_existing_pages()
    {
        Assert.True(File.Exists(IndexFile), $"{IndexFile} is missing");
        var linked = LinkPattern().Matches(File.ReadAllText(IndexFile))
            .Select(match => match.Groups["page"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var pages = Pages()
            .Select(page => $"{Path.GetFileName(Path.GetDirectoryName(page))}/{Path.GetFileNameWithoutExtension(page)}")
            .ToHashSet(StringComparer.Ordinal);

        var unlisted = pages.Except(linked).Order(StringComparer.Ordinal).ToList();
        var dangling = linked.Except(pages).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, $"pages missing from docs/runbooks/README.md: {string.Join(", ", unlisted)}");
        Assert.True(dangling.Count == 0, $"docs/runbooks/README.md links pages that do not exist: {string.Join(", ", dangling)}");
    }

    /// <summary>The runbook pages: every *.md in a group directory of docs/runbooks/.</summary>
    private static IReadOnlyList<string> Pages() =>
        Directory.Exists(RunbookDirectory)
            ? Directory.GetDirectories(RunbookDirectory)
                .SelectMany(directory => Directory.GetFiles(directory, "*.md"))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    /// <summary>Every alerting rule of every rule file, with its group: the rule file's name, which is its runbook directory.</summary>
    private static IReadOnlyList<(string File, string Group, string Alert, string? RunbookUrl)> LoadRules()
    {
        var rules = new List<(string, string, string, string?)>();
        foreach (var file in MonitoringFiles.RuleFilesRelative)
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(MonitoringFiles.Absolute(file)))
            {
                stream.Load(reader);
            }

            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            foreach (var group in Children(root, "groups").OfType<YamlMappingNode>())
            {
                foreach (var rule in Children(group, "rules").OfType<YamlMappingNode>())
                {
                    if (Scalar(rule, "alert") is not { } alert)
                    {
                        continue; // a recording rule
                    }

                    var annotations = rule.Children.TryGetValue(new YamlScalarNode("annotations"), out var node) ? node as YamlMappingNode : null;
                    rules.Add((file, MonitoringFiles.RunbookGroup(file), alert, annotations is null ? null : Scalar(annotations, "runbook_url")));
                }
            }
        }

        return rules;
    }

    private static IEnumerable<YamlNode> Children(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence ? sequence.Children : [];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? (child as YamlScalarNode)?.Value : null;

    [GeneratedRegex(@"^#\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*$")]
    private static partial Regex HeadingPattern();

    /// <summary>A markdown link target naming a page in a group directory next to the index: (alertrelay/AlertRelayDown.md) or (./alertrelay/AlertRelayDown.md).</summary>
    [GeneratedRegex(@"\]\((?:\./)?(?<page>[a-z0-9][a-z0-9-]*/[A-Za-z_][A-Za-z0-9_]*)\.md\)")]
    private static partial Regex LinkPattern();
}

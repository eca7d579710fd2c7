using System.Text.RegularExpressions;
using AlertRelay.Tests.Configuration;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Runbooks;

/// <summary>
/// docs/runbooks/ and monitoring/prometheus/alert_rules.yml stay in step: every alert has a page its
/// runbook_url points at, every page is about an alert that still exists, and the index lists every page.
/// </summary>
public sealed partial class RunbookTests
{
    private const string UrlSuffixDirectory = "docs/runbooks/";

    private static string RulesFile => Path.Combine(RepositoryFiles.Root, "monitoring", "prometheus", "alert_rules.yml");

    private static string RunbookDirectory => Path.Combine(RepositoryFiles.Root, "docs", "runbooks");

    private static string IndexFile => Path.Combine(RunbookDirectory, "README.md");

    [Fact]
    public void The_rule_file_has_alerts()
    {
        Assert.NotEmpty(LoadRules());
    }

    [Fact]
    public void Every_alert_rule_has_a_runbook_page()
    {
        var missing = LoadRules()
            .Select(rule => rule.Alert)
            .Where(alert => !File.Exists(Path.Combine(RunbookDirectory, alert + ".md")))
            .ToList();

        Assert.True(missing.Count == 0, $"alerts without docs/runbooks/<AlertName>.md: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_alert_rule_has_a_runbook_url_pointing_at_its_page()
    {
        var errors = new List<string>();
        foreach (var rule in LoadRules())
        {
            if (string.IsNullOrWhiteSpace(rule.RunbookUrl))
            {
                errors.Add($"{rule.Alert}: no runbook_url annotation");
            }
            else if (!rule.RunbookUrl.EndsWith(UrlSuffixDirectory + rule.Alert + ".md", StringComparison.Ordinal))
            {
                errors.Add($"{rule.Alert}: runbook_url {rule.RunbookUrl} does not end with {UrlSuffixDirectory}{rule.Alert}.md");
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Every_runbook_page_is_about_an_existing_alert()
    {
        var alerts = LoadRules().Select(rule => rule.Alert).ToHashSet(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var page in Pages())
        {
            var name = Path.GetFileNameWithoutExtension(page);
            if (!alerts.Contains(name))
            {
                errors.Add($"{name}.md: no alert {name} in alert_rules.yml (renamed or removed?)");
            }

            var firstLine = File.ReadLines(page).FirstOrDefault() ?? "";
            var heading = HeadingPattern().Match(firstLine);
            if (!heading.Success)
            {
                errors.Add($"{name}.md: the first line is not a heading '# <AlertName>': '{firstLine}'");
            }
            else if (!alerts.Contains(heading.Groups["name"].Value))
            {
                errors.Add($"{name}.md: its heading names {heading.Groups["name"].Value}, which is not an alert in alert_rules.yml");
            }
            else if (heading.Groups["name"].Value != name)
            {
                errors.Add($"{name}.md: its heading names {heading.Groups["name"].Value}, not {name}");
            }
        }

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void The_index_links_every_page_and_only_existing_pages()
    {
        Assert.True(File.Exists(IndexFile), $"{IndexFile} is missing");
        var linked = LinkPattern().Matches(File.ReadAllText(IndexFile))
            .Select(match => match.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
        var pages = Pages().Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal);

        var unlisted = pages.Except(linked).Order(StringComparer.Ordinal).ToList();
        var dangling = linked.Except(pages).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, $"pages missing from docs/runbooks/README.md: {string.Join(", ", unlisted)}");
        Assert.True(dangling.Count == 0, $"docs/runbooks/README.md links pages that do not exist: {string.Join(", ", dangling)}");
    }

    /// <summary>The runbook pages: every *.md of docs/runbooks/ except the index.</summary>
    private static IReadOnlyList<string> Pages() =>
        Directory.Exists(RunbookDirectory)
            ? Directory.GetFiles(RunbookDirectory, "*.md")
                .Where(path => !string.Equals(Path.GetFileName(path), "README.md", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static IReadOnlyList<(string Alert, string? RunbookUrl)> LoadRules()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(RulesFile))
        {
            stream.Load(reader);
        }

        var rules = new List<(string, string?)>();
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
                rules.Add((alert, annotations is null ? null : Scalar(annotations, "runbook_url")));
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

    /// <summary>A markdown link target naming a page next to the index: (HighErrorRate.md) or (./HighErrorRate.md).</summary>
    [GeneratedRegex(@"\]\((?:\./)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\.md\)")]
    private static partial Regex LinkPattern();
}

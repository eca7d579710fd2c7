using AlertRelay.Tests.Configuration;
using YamlDotNet.RepresentationModel;

namespace AlertRelay.Tests.Monitoring;

/// <summary>One alerting rule of a Prometheus rule file (<see cref="File"/>, relative to the repository root), as written (recording rules are left out).</summary>
public sealed record AlertRule(
    string File,
    string Group,
    string Name,
    string Expr,
    string? For,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>Every alerting rule of every rule file Prometheus loads (<see cref="MonitoringFiles.RuleFilesRelative"/>), in order.</summary>
    public static IReadOnlyList<AlertRule> LoadAll() => MonitoringFiles.RuleFilesRelative.SelectMany(Load).ToList();

    /// <summary>Every alerting rule of every group in <paramref name="relativePath"/> (relative to the repository root), in file order.</summary>
    public static IReadOnlyList<AlertRule> Load(string relativePath)
    {
        var rules = new List<AlertRule>();
        foreach (var group in Yaml.Load(Path.Combine(RepositoryFiles.Root, relativePath)).Seq("groups").OfType<YamlMappingNode>())
        {
            var groupName = group.Text("name") ?? "?";
            foreach (var rule in group.Seq("rules").OfType<YamlMappingNode>())
            {
                if (rule.Text("alert") is not { } name)
                {
                    continue;
                }

                rules.Add(new AlertRule(
                    relativePath,
                    groupName,
                    name,
                    rule.Text("expr") ?? "",
                    rule.Text("for"),
                    Strings(rule.Map("labels")),
                    Strings(rule.Map("annotations"))));
            }
        }

        return rules;
    }

    /// <summary>A mapping of scalars as a dictionary (empty when the mapping is absent).</summary>
    public static IReadOnlyDictionary<string, string> Strings(YamlMappingNode? mapping) =>
        mapping is null
            ? new Dictionary<string, string>()
            : mapping.Children.ToDictionary(pair => pair.Key.Text() ?? "", pair => pair.Value.Text() ?? "", StringComparer.Ordinal);
}

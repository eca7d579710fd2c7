using System.Text.RegularExpressions;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// Just enough PromQL lexing to list the metric and label names an expression uses (promtool checks the syntax),
/// and Grafana's interpolation of the dashboard variables in it.
/// </summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
    ];

    /// <summary>The expression as Grafana sends it to Prometheus: <c>$route</c> is the variable's value (a regex for multi-value/All).</summary>
    public static string Interpolate(string expr, string route)
    {
        var result = expr
            .Replace("${route}", route, StringComparison.Ordinal)
            .Replace("$route", route, StringComparison.Ordinal)
            .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$__range", "1h", StringComparison.Ordinal);
        var leftover = VariableRegex().Match(result);
        if (leftover.Success)
        {
            throw new InvalidOperationException($"unknown Grafana variable {leftover.Value} in {expr}");
        }

        return result;
    }

    /// <summary>Metric names: identifiers that are neither function calls, keywords, label names nor durations.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = StringRegex().Replace(expr, "\"\"");
        text = BracesRegex().Replace(text, "{}");
        text = BracketsRegex().Replace(text, "[]");
        text = GroupingRegex().Replace(text, " ");
        return IdentifierRegex().Matches(text).Select(m => m.Value).Where(name => !Keywords.Contains(name)).ToHashSet();
    }

    /// <summary>Label names used in selectors' matchers and in by/without/on/ignoring/group_* clauses.</summary>
    public static IReadOnlySet<string> LabelNames(string expr)
    {
        var text = StringRegex().Replace(expr, "\"\"");
        var names = new HashSet<string>();
        foreach (Match braces in BracesRegex().Matches(text))
        {
            foreach (Match matcher in MatcherRegex().Matches(braces.Value))
            {
                names.Add(matcher.Groups[1].Value);
            }
        }

        foreach (Match grouping in GroupingRegex().Matches(text))
        {
            foreach (var name in grouping.Groups[2].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>The selectors (metric name with its matchers) of an expression, e.g. <c>process_cpu_seconds_total{job="x"}</c>.</summary>
    public static IEnumerable<(string Metric, string Matchers)> Selectors(string expr) =>
        SelectorRegex().Matches(expr).Where(m => !Keywords.Contains(m.Groups[1].Value)).Select(m => (m.Groups[1].Value, m.Groups[2].Value));

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex StringRegex();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex BracesRegex();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex BracketsRegex();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)")]
    private static partial Regex GroupingRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])(?>[A-Za-z_:][A-Za-z0-9_:]*)(?!\s*\()")]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex MatcherRegex();

    [GeneratedRegex(@"(?<![A-Za-z0-9_:.])(?>([A-Za-z_:][A-Za-z0-9_:]*))\s*(?>(\{[^{}]*\})?)(?!\s*\()")]
    private static partial Regex SelectorRegex();

    [GeneratedRegex(@"\$\w+|\$\{[^}]*\}|\[\[\w+\]\]")]
    private static partial Regex VariableRegex();
}

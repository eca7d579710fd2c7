using System.Globalization;
using System.Text.RegularExpressions;

namespace ECommerce.Tests;

/// <summary>The samples of one Prometheus text-format scrape, to look up by name and labels.</summary>
public sealed partial class MetricsScrape
{
    private readonly List<Sample> _samples;

    private MetricsScrape(List<Sample> samples) => _samples = samples;

    public static MetricsScrape Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"Unparsable metrics line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
            samples.Add(new Sample(match.Groups["name"].Value, labels,
                double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        return new MetricsScrape(samples);
    }

    /// <summary>Whether a sample of that name exists.</summary>
    public bool Has(string name) => _samples.Any(s => s.Name == name);

    /// <summary>The value of the one sample with this name whose labels include <paramref name="labels"/>; 0 when none.</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matching = Matching(name, labels).ToList();
        Assert.True(matching.Count <= 1, $"{matching.Count} samples of {name} match; give more labels");
        return matching.SingleOrDefault()?.Value ?? 0;
    }

    /// <summary>The sum over the samples with this name whose labels include <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) => Matching(name, labels).Sum(s => s.Value);

    /// <summary>The distinct values of label <paramref name="label"/> among the samples with this name.</summary>
    public IReadOnlySet<string> LabelValues(string name, string label) =>
        _samples.Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).ToHashSet();

    private IEnumerable<Sample> Matching(string name, (string Name, string Value)[] labels) =>
        _samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);
}

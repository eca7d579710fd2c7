using System.Globalization;
using System.Text.RegularExpressions;

namespace AlertRelay.Tests.TestData;

/// <summary>A Prometheus text-format scrape: the TYPE of each family and every sample with its labels, in order.</summary>
public sealed partial class MetricsScrape
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    /// <summary>Family name to its TYPE (counter, gauge, histogram...).</summary>
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public static MetricsScrape Parse(string text)
    {
        var scrape = new MetricsScrape();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                scrape.Types[parts[2]] = parts[3];
            }
            else if (!line.StartsWith('#') && SampleLine().Match(line) is { Success: true } sample)
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (Match label in LabelPair().Matches(sample.Groups["labels"].Value))
                {
                    labels.Add(label.Groups[1].Value, label.Groups[2].Value);
                }

                scrape._samples.Add((sample.Groups["name"].Value, labels, double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture)));
            }
        }

        return scrape;
    }

    /// <summary>The family a sample belongs to: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> belong to the histogram.</summary>
    public string FamilyOf(string sample)
    {
        var histogram = HistogramSuffix().Replace(sample, "");
        return histogram != sample && Types.GetValueOrDefault(histogram) == "histogram" ? histogram : sample;
    }

    /// <summary>The label sets of a family's samples, in the order of the scrape (a histogram's <c>le</c> included).</summary>
    public List<Dictionary<string, string>> SeriesOf(string family) =>
        _samples.Where(s => FamilyOf(s.Name) == family).Select(s => s.Labels).ToList();

    /// <summary>Whether a sample with this label value is there.</summary>
    public bool Has(string sample, string label, string value) =>
        _samples.Any(s => s.Name == sample && s.Labels.GetValueOrDefault(label) == value);

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}

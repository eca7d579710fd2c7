using System.Globalization;
using AlertRelay.Core.Alerts;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The regex matchers of a query, applied in C# (<see cref="Matcher.Matches"/>) to the values of the labels they read, which the
/// SQL selects as one <c>text[]</c> (<see cref="ValuesSql"/>; a missing label as "", as Alertmanager treats it).
/// </summary>
internal sealed class RegexMatchers
{
    private readonly IReadOnlyList<string> _names;
    private readonly IReadOnlyList<(Matcher Matcher, int Index)> _matchers;

    private RegexMatchers(IReadOnlyList<string> names, IReadOnlyList<(Matcher, int)> matchers)
    {
        _names = names;
        _matchers = matchers;
        ValuesSql = string.Join(", ", names.Select((_, i) => string.Create(CultureInfo.InvariantCulture, $"coalesce(labels->>@RegexLabel{i}, '')")));
    }

    public bool IsEmpty => _matchers.Count == 0;

    /// <summary>The elements of the array of label values, one per label name (each name once).</summary>
    public string ValuesSql { get; }

    public static RegexMatchers Of(IReadOnlyList<Matcher> matchers)
    {
        var names = new List<string>();
        var regexes = new List<(Matcher, int)>();
        foreach (var matcher in matchers.Where(m => m.Type is Alerts.MatchType.Regex or Alerts.MatchType.NotRegex))
        {
            var index = names.IndexOf(matcher.Name);
            if (index < 0)
            {
                index = names.Count;
                names.Add(matcher.Name);
            }

            regexes.Add((matcher, index));
        }

        return new RegexMatchers(names, regexes);
    }

    public void AddParameters(DynamicParameters parameters)
    {
        for (var i = 0; i < _names.Count; i++)
        {
            parameters.Add(string.Create(CultureInfo.InvariantCulture, $"RegexLabel{i}"), _names[i]);
        }
    }

    /// <summary>Whether label values read by <see cref="ValuesSql"/> satisfy every regex matcher.</summary>
    public bool Match(string[] values)
    {
        foreach (var (matcher, index) in _matchers)
        {
            if (!matcher.Matches(values[index]))
            {
                return false;
            }
        }

        return true;
    }
}

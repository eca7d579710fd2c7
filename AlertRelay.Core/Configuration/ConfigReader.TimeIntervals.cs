using AlertRelay.Core.TimeIntervals;
using NodaTime;

namespace AlertRelay.Core.Configuration;

/// <summary>The top-level <c>time_intervals:</c> and <c>mute_time_intervals:</c> (its older alias) sections, as Alertmanager reads them.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] TimeIntervalKeys = ["name", "time_intervals"];

    private static readonly string[] TimePeriodKeys = ["times", "weekdays", "days_of_month", "months", "years", "location"];

    private static readonly string[] TimeRangeKeys = ["start_time", "end_time"];

    /// <summary>The names defined in <c>time_intervals</c>/<c>mute_time_intervals</c>: a route may only name these.</summary>
    private readonly HashSet<string> _timeIntervalNames = new(StringComparer.Ordinal);

    private Dictionary<string, TimeInterval> ReadTimeIntervals(Dictionary<string, Field> topLevel)
    {
        var result = new Dictionary<string, TimeInterval>(StringComparer.Ordinal);

        // Alertmanager's order and messages: the deprecated section first, then time_intervals, one name space for both.
        ReadTimeIntervalSection(Value(topLevel, "mute_time_intervals"), "mute_time_intervals", "mute time interval", result);
        ReadTimeIntervalSection(Value(topLevel, "time_intervals"), "time_intervals", "time interval", result);
        _timeIntervalNames.UnionWith(result.Keys);
        return result;
    }

    private void ReadTimeIntervalSection(ConfigNode? node, string path, string what, Dictionary<string, TimeInterval> result)
    {
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            if (IsNull(items[i]) || Mapping(items[i], itemPath) is not { } map)
            {
                if (IsNull(items[i]))
                {
                    Error(items[i].Line, itemPath, $"missing name in {what}");
                }

                continue;
            }

            var fields = Fields(map, itemPath, TimeIntervalKeys);
            var name = String(Value(fields, "name"), Child(itemPath, "name"));
            var periods = ReadTimePeriods(Value(fields, "time_intervals"), Child(itemPath, "time_intervals"));
            if (string.IsNullOrEmpty(name))
            {
                Error(fields.TryGetValue("name", out var n) ? n.Key.Line : map.Line, Child(itemPath, "name"), $"missing name in {what}");
            }
            else if (!result.TryAdd(name, new TimeInterval(name, periods)))
            {
                Error(fields["name"].Value.Line, Child(itemPath, "name"), $"{what} \"{name}\" is not unique");
            }
        }
    }

    private List<TimePeriod> ReadTimePeriods(ConfigNode? node, string path)
    {
        var periods = new List<TimePeriod>();
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            if (IsNull(items[i]))
            {
                periods.Add(new TimePeriod()); // yaml.v2 decodes a null entry as a zero TimeInterval: always active
            }
            else if (Mapping(items[i], itemPath) is { } map)
            {
                periods.Add(ReadTimePeriod(Fields(map, itemPath, TimePeriodKeys), itemPath));
            }
        }

        return periods;
    }

    private TimePeriod ReadTimePeriod(Dictionary<string, Field> fields, string path)
    {
        DateTimeZone? location = null;
        if (Value(fields, "location") is { } locationNode && String(locationNode, Child(path, "location")) is { } id &&
            TimePeriodParser.ParseLocation(id, out location) is { } locationError)
        {
            Error(locationNode.Line, Child(path, "location"), locationError);
        }

        var months = Ranges(fields, "months", path, TimePeriodParser.ParseMonths);
        foreach (var month in months ?? [])
        {
            if (month.Begin < 1 || month.End > 12)
            {
                Warn(fields["months"].Key.Line, Child(path, "months"), $"month range {month} is outside 1..12 and never matches there (Alertmanager accepts it too)");
            }
        }

        return new TimePeriod
        {
            Times = ReadTimeRanges(Value(fields, "times"), Child(path, "times")),
            Weekdays = Ranges(fields, "weekdays", path, TimePeriodParser.ParseWeekdays),
            DaysOfMonth = Ranges(fields, "days_of_month", path, TimePeriodParser.ParseDaysOfMonth),
            Months = months,
            Years = Ranges(fields, "years", path, TimePeriodParser.ParseYears),
            Location = location,
        };
    }

    private delegate string? RangeParser(string text, out InclusiveRange range);

    /// <summary>A list of ranges; null (absent or <c>key:</c> with no value) when the field allows anything.</summary>
    private List<InclusiveRange>? Ranges(Dictionary<string, Field> fields, string key, string path, RangeParser parse)
    {
        if (Value(fields, key) is not { } node)
        {
            return null;
        }

        var listPath = Child(path, key);
        var items = Sequence(node, listPath);
        var ranges = new List<InclusiveRange>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var text = String(items[i], Index(listPath, i));
            if (text is null && !IsNull(items[i]))
            {
                continue; // not a scalar: reported
            }

            if (parse(text ?? "", out var range) is { } error)
            {
                Error(items[i].Line, Index(listPath, i), error);
            }
            else
            {
                ranges.Add(range);
            }
        }

        return ranges;
    }

    private List<TimeRange>? ReadTimeRanges(ConfigNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        var items = Sequence(node, path);
        var ranges = new List<TimeRange>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            var map = IsNull(items[i]) ? null : Mapping(items[i], itemPath);
            if (map is null && !IsNull(items[i]))
            {
                continue; // not a mapping: reported
            }

            var fields = map is null ? [] : Fields(map, itemPath, TimeRangeKeys);
            var start = String(Value(fields, "start_time"), Child(itemPath, "start_time"));
            var end = String(Value(fields, "end_time"), Child(itemPath, "end_time"));
            if (TimePeriodParser.ParseTimeRange(start, end, out var range) is { } error)
            {
                Error(items[i].Line, itemPath, error);
            }
            else
            {
                ranges.Add(range);
            }
        }

        return ranges;
    }

    /// <summary>A route's <c>mute_time_intervals</c> or <c>active_time_intervals</c> must name defined intervals (Alertmanager's <c>checkTimeInterval</c>).</summary>
    private void CheckTimeIntervalNames(ConfigNode? node, string path)
    {
        var items = node is ConfigSequence sequence ? sequence.Items : [];
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is ConfigScalar { IsNull: false } scalar && !_timeIntervalNames.Contains(scalar.Value))
            {
                Error(scalar.Line, Index(path, i), $"undefined time interval \"{scalar.Value}\" used in route");
            }
        }
    }
}

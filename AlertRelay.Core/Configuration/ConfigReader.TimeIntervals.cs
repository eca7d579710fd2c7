using AlertRelay.Core.TimeIntervals;

namespace AlertRelay.Core.Configuration;

/// <summary>The top-level <c>time_intervals:</c> and <c>mute_time_intervals:</c> (its older alias) sections. SEAM.</summary>
internal sealed partial class ConfigReader
{
    /// <summary>The names defined in <c>time_intervals</c>/<c>mute_time_intervals</c>: a route may only name these.</summary>
    private readonly HashSet<string> _timeIntervalNames = new(StringComparer.Ordinal);

    private Dictionary<string, TimeInterval> ReadTimeIntervals(Dictionary<string, Field> topLevel)
    {
        var result = new Dictionary<string, TimeInterval>(StringComparer.Ordinal);
        _timeIntervalNames.UnionWith(result.Keys);
        return result;
    }
}

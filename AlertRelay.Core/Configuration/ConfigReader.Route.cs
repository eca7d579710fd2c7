using AlertRelay.Core.Alerts;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>route:</c> section: Alertmanager's routing tree, compiled to <see cref="Route"/> with receivers and grouping options inherited.</summary>
internal sealed partial class ConfigReader
{
    private const string GroupByAll = "...";

    private static readonly string[] RouteKeys = AlertmanagerFields.Keys(AlertmanagerFields.Route);

    // Alertmanager's DefaultRouteOpts (group_wait 30s, group_interval 5m, repeat_interval 4h), as Route's defaults hold them.
    private static readonly Route RootDefaults = new("", [], false, []);

    private Route? ReadRootRoute(ConfigNode node, IReadOnlySet<string> receivers)
    {
        if (Mapping(node, "route") is not { } map)
        {
            return null;
        }

        return ReadRoute(map, "route", parent: null, receivers);
    }

    private Route ReadRoute(ConfigMapping map, string path, Route? parent, IReadOnlySet<string> receivers)
    {
        var isRoot = parent is null;
        var fields = Fields(map, path, RouteKeys);
        NoteRouteFields(fields, path); // the warnings for group_by, group_wait, ... (ConfigReader.cs)

        var receiver = String(Value(fields, "receiver"), Child(path, "receiver"));
        if (!string.IsNullOrEmpty(receiver) && !receivers.Contains(receiver))
        {
            Error(fields["receiver"].Value.Line, Child(path, "receiver"), $"undefined receiver \"{receiver}\"");
        }

        if (isRoot && string.IsNullOrEmpty(receiver))
        {
            Error(fields.TryGetValue("receiver", out var r) ? r.Key.Line : map.Line, Child(path, "receiver"), "root route must specify a default receiver");
        }

        // Alertmanager's order: match, then match_re, then matchers, and the whole list sorted.
        var matchers = new List<Matcher>();
        matchers.AddRange(LegacyMatchers(Value(fields, "match"), Child(path, "match"), regex: false));
        matchers.AddRange(LegacyMatchers(Value(fields, "match_re"), Child(path, "match_re"), regex: true));
        matchers.AddRange(MatcherList(Value(fields, "matchers"), Child(path, "matchers")));

        var isContinue = Bool(Value(fields, "continue"), Child(path, "continue")) ?? false;
        var groupBy = ReadGroupBy(fields, path);
        var groupWait = Duration(Value(fields, "group_wait"), Child(path, "group_wait"));
        var groupInterval = NonZeroDuration(fields, "group_interval", path);
        var repeatInterval = NonZeroDuration(fields, "repeat_interval", path);
        var muteTimeIntervals = StringList(Value(fields, "mute_time_intervals"), Child(path, "mute_time_intervals"));
        var activeTimeIntervals = StringList(Value(fields, "active_time_intervals"), Child(path, "active_time_intervals"));
        CheckTimeIntervalNames(Value(fields, "mute_time_intervals"), Child(path, "mute_time_intervals"));
        CheckTimeIntervalNames(Value(fields, "active_time_intervals"), Child(path, "active_time_intervals"));

        if (isRoot)
        {
            CheckRootRoute(fields, path, isContinue, muteTimeIntervals, activeTimeIntervals);
        }

        // The node itself, without children yet, so that they can inherit from it.
        var template = new Route(string.IsNullOrEmpty(receiver) ? parent?.Receiver ?? "" : receiver, Sorted(matchers), isContinue, [])
        {
            Path = path,
            GroupBy = groupBy ?? parent?.GroupBy ?? [],
            GroupWait = groupWait ?? parent?.GroupWait ?? RootDefaults.GroupWait,
            GroupInterval = groupInterval ?? parent?.GroupInterval ?? RootDefaults.GroupInterval,
            RepeatInterval = repeatInterval ?? parent?.RepeatInterval ?? RootDefaults.RepeatInterval,
            MuteTimeIntervals = muteTimeIntervals,
            ActiveTimeIntervals = activeTimeIntervals,
        };

        var children = new List<Route>();
        var childNodes = Sequence(Value(fields, "routes"), Child(path, "routes"));
        for (var i = 0; i < childNodes.Count; i++)
        {
            var childPath = Index(Child(path, "routes"), i);
            if (IsNull(childNodes[i]))
            {
                Error(childNodes[i].Line, childPath, "expected a route (a mapping), got null");
            }
            else if (Mapping(childNodes[i], childPath) is { } childMap)
            {
                children.Add(ReadRoute(childMap, childPath, template, receivers));
            }
        }

        return template with { Routes = children };
    }

    private void CheckRootRoute(
        Dictionary<string, Field> fields, string path, bool isContinue, IReadOnlyList<string> mute, IReadOnlyList<string> active)
    {
        // Alertmanager: the root is the fallback for every alert, so it matches everything and has nothing after it.
        foreach (var key in new[] { "match", "match_re", "matchers" })
        {
            if (fields.TryGetValue(key, out var field) && field.Value is ConfigMapping { Entries.Count: > 0 } or ConfigSequence { Items.Count: > 0 })
            {
                Error(field.Key.Line, Child(path, key), "root route must not have any matchers");
            }
        }

        if (isContinue)
        {
            Error(fields["continue"].Key.Line, Child(path, "continue"), "cannot have continue in root route");
        }

        if (mute.Count > 0)
        {
            Error(fields["mute_time_intervals"].Key.Line, Child(path, "mute_time_intervals"), "root route must not have any mute time intervals");
        }

        if (active.Count > 0)
        {
            Error(fields["active_time_intervals"].Key.Line, Child(path, "active_time_intervals"), "root route must not have any active time intervals");
        }
    }

    private IReadOnlyList<string>? ReadGroupBy(Dictionary<string, Field> fields, string path)
    {
        var node = Value(fields, "group_by");
        if (node is null)
        {
            return null;
        }

        var groupPath = Child(path, "group_by");
        var items = Sequence(node, groupPath);
        var names = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(groupPath, i);
            var name = String(items[i], itemPath);
            if (name is null)
            {
                if (IsNull(items[i]))
                {
                    Error(items[i].Line, itemPath, "expected a label name, got null");
                }
            }
            else if (name != GroupByAll && !IsLabelName(name))
            {
                Error(items[i].Line, itemPath, $"invalid label name \"{name}\" in group_by list");
            }
            else if (names.Contains(name))
            {
                Error(items[i].Line, itemPath, $"duplicated label \"{name}\" in group_by");
            }
            else
            {
                names.Add(name);
            }
        }

        if (names.Contains(GroupByAll) && names.Count > 1)
        {
            Error(node.Line, groupPath, "cannot have wildcard group_by (`...`) and other labels at the same time");
        }

        return names;
    }

    private TimeSpan? NonZeroDuration(Dictionary<string, Field> fields, string key, string path)
    {
        var value = Duration(Value(fields, key), Child(path, key));
        if (value == TimeSpan.Zero)
        {
            Error(fields[key].Value.Line, Child(path, key), $"{key} cannot be zero");
            return null;
        }

        return value;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Routing;
using AlertRelay.Core.Schedules;
// System.IO (an implicit using) also has a MatchType; the alias picks ours.
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Core.Configuration;

/// <summary>
/// Reads a <see cref="ConfigNode"/> tree into a <see cref="RelayConfig"/>, collecting every problem as a
/// <see cref="ConfigError"/> instead of stopping at the first. The sections live in the partial files beside this one.
/// </summary>
internal sealed partial class ConfigReader
{
    // Alertmanager's top-level keys (AlertmanagerFields), then AlertRelay's own sections.
    private static readonly string[] TopLevelKeys =
        [.. AlertmanagerFields.Keys(AlertmanagerFields.TopLevel), "escalations", "participants", "oncall_schedules", "heartbeats"];

    // Pairs of global keys of which at most one may be set (Alertmanager's Config.UnmarshalYAML).
    private static readonly (string Value, string File)[] GlobalExclusive =
    [
        ("slack_api_url", "slack_api_url_file"), ("slack_app_token", "slack_app_token_file"),
        ("smtp_auth_password", "smtp_auth_password_file"), ("smtp_auth_secret", "smtp_auth_secret_file"),
        ("opsgenie_api_key", "opsgenie_api_key_file"), ("victorops_api_key", "victorops_api_key_file"),
        ("telegram_bot_token", "telegram_bot_token_file"), ("rocketchat_token", "rocketchat_token_file"),
        ("rocketchat_token_id", "rocketchat_token_id_file"), ("wechat_api_secret", "wechat_api_secret_file"),
        ("mattermost_webhook_url", "mattermost_webhook_url_file"),
    ];

    /// <summary>The <c>global:</c> section as read (empty until read): the integrations' defaults.</summary>
    private Dictionary<string, object?> _global = new(StringComparer.Ordinal);

    /// <summary>The global <c>http_config</c>: the default of webhook_configs entries that set none.</summary>
    private HttpConfig _globalHttpConfig = HttpConfig.Default;

    /// <summary>The first route key of Alertmanager's grouping options (group_by, group_wait, ...) and how many routes set them.</summary>
    private (Field First, string Path, SortedSet<string> Keys, int Routes)? _grouping;

    private readonly string _file;
    private readonly ConfigOptions _options;
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigWarning> _warnings = [];

    private ConfigReader(string file, ConfigOptions options) => (_file, _options) = (file, options);

    /// <summary>Parses and validates <paramref name="yaml"/>; returns the configuration, or <see langword="null"/> with <paramref name="errors"/> sorted by line.</summary>
    public static RelayConfig? Read(string yaml, string file, string? sourcePath, ConfigOptions options, out IReadOnlyList<ConfigError> errors)
    {
        var reader = new ConfigReader(file, options);
        var root = ConfigYamlParser.Parse(yaml, (line, message) => reader.Error(line, "", message));
        var config = reader._errors.Count == 0 ? reader.ReadConfig(root, sourcePath) : null;

        // Stable sort: errors on one line keep the order they were found in.
        errors = reader._errors.Select((e, i) => (e, i)).OrderBy(x => x.e.Line).ThenBy(x => x.i).Select(x => x.e).ToArray();
        var warnings = reader._warnings.Select((w, i) => (w, i)).OrderBy(x => x.w.Line).ThenBy(x => x.i).Select(x => x.w).ToArray();
        return errors.Count == 0 ? config! with { Warnings = warnings } : null;
    }

    private RelayConfig ReadConfig(ConfigNode? root, string? sourcePath)
    {
        if (root is null || root is ConfigScalar { IsNull: true })
        {
            Error(1, "route", "no route provided in config (the file is empty)");
            return RelayConfig.Default;
        }

        if (root is not ConfigMapping map)
        {
            Error(root.Line, "", $"expected a mapping at the top level, got {root.Describe()}");
            return RelayConfig.Default;
        }

        var fields = Fields(map, "", TopLevelKeys);
        RefuseTemplates(fields);
        WarnIgnored(fields, "", AlertmanagerFields.Ignored(AlertmanagerFields.TopLevel));

        // Time intervals before the route: its mute_time_intervals and active_time_intervals must name defined ones.
        var timeIntervals = ReadTimeIntervals(fields);

        var global = Value(fields, "global") is { } globalNode ? ReadGlobal(globalNode) : null;

        // Receivers first: the route and the escalations refer to them, wherever they are in the file.
        var receivers = ReadReceivers(Value(fields, "receivers"));
        var receiverNames = receivers.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);

        // Schedules next: a route, a step or a heartbeat may page one as oncall:<schedule>.
        var participants = ReadParticipants(Value(fields, "participants"));
        var schedules = ReadSchedules(Value(fields, "oncall_schedules"), participants, receiverNames);
        receiverNames.UnionWith(_scheduleNames.Select(name => OncallPage.ReceiverPrefix + name)); // invalid ones too: one error each
        var heartbeats = ReadHeartbeats(Value(fields, "heartbeats"), receiverNames);

        Route? route = null;
        if (fields.TryGetValue("route", out var routeField) && !IsNull(routeField.Value))
        {
            route = ReadRootRoute(routeField.Value, receiverNames);
        }
        else
        {
            Error(fields.ContainsKey("route") ? routeField.Key.Line : 1, "route", "no route provided in config");
        }

        var inhibitRules = ReadInhibitRules(Value(fields, "inhibit_rules"));
        var escalations = ReadEscalations(Value(fields, "escalations"), receiverNames);
        WarnGrouping();

        return new RelayConfig(HeartbeatRoutes(route ?? RelayConfig.Default.Route, heartbeats), receivers, inhibitRules, escalations, sourcePath)
        {
            Global = global ?? new Dictionary<string, object?>(),
            IgnoredIntegrations = _ignoredIntegrations,
            Participants = participants,
            Schedules = schedules,
            Heartbeats = heartbeats,
            TimeIntervals = timeIntervals,
            OncallReceivers = OncallReceivers(schedules, participants, receivers, global, Value(fields, "oncall_schedules")),
        };
    }

    private Dictionary<string, object?>? ReadGlobal(ConfigNode node)
    {
        if (node is ConfigMapping map)
        {
            var fields = Fields(map, "global", AlertmanagerFields.Keys(AlertmanagerFields.Global)); // reports unknown and duplicate keys
            WarnIgnored(fields, "global", AlertmanagerFields.Ignored(AlertmanagerFields.Global));
            foreach (var (value, file) in GlobalExclusive)
            {
                if (Value(fields, value) is not null && Value(fields, file) is not null)
                {
                    Error(fields[file].Key.Line, "global", $"at most one of {value} & {file} must be configured");
                }
            }

            // As Alertmanager 0.30+: a global app token and a global webhook URL exclude each other, unless the URL is the app URL
            // (the old way of giving a bot token: slack_api_url: https://slack.com/api/chat.postMessage).
            var appUrl = String(Value(fields, "slack_app_url"), "global.slack_app_url") ?? Notify.Slack.SlackSender.DefaultApiBaseUrl + SlackPostMessage;
            if ((Value(fields, "slack_app_token") ?? Value(fields, "slack_app_token_file")) is not null
                && (Value(fields, "slack_api_url_file") is not null
                    || (Value(fields, "slack_api_url") is { } apiUrl && String(apiUrl, "global.slack_api_url") != appUrl)))
            {
                Error(map.Line, "global", "at most one of slack_app_token/slack_app_token_file & slack_api_url/slack_api_url_file must be configured");
            }

            _globalHttpConfig = ReadHttpConfig(Value(fields, "http_config"), "global.http_config");
        }

        _global = RawMap(node, "global") ?? _global;
        return RawMap(node, "global");
    }

    /// <summary>A global setting as text (null when absent or empty).</summary>
    private string? GlobalText(string key) => _global.TryGetValue(key, out var value) && value is string { Length: > 0 } text ? text : null;

    /// <summary><c>templates:</c> names Go template files, which AlertRelay cannot use: refused with how to port them (an empty list asks for nothing).</summary>
    private void RefuseTemplates(Dictionary<string, Field> fields)
    {
        if (fields.TryGetValue("templates", out var field) && field.Value is not (ConfigScalar { IsNull: true } or ConfigSequence { Items.Count: 0 }))
        {
            Error(field.Key.Line, "templates", "not supported by AlertRelay: " + AlertmanagerFields.TemplatesReason);
        }
    }

    /// <summary>Notes a route's grouping options (group_by, group_wait, group_interval, repeat_interval) for the one warning of the file.</summary>
    private void NoteRouteFields(Dictionary<string, Field> fields, string path)
    {
        var ignored = AlertmanagerFields.Ignored(AlertmanagerFields.Route);
        var present = fields.Where(f => ignored.ContainsKey(f.Key) && f.Key != "labels").OrderBy(f => f.Value.Key.Line).ToArray();
        WarnIgnored(fields.Where(f => f.Key == "labels").ToDictionary(), path, ignored);
        if (present.Length == 0)
        {
            return;
        }

        _grouping = _grouping is { } g
            ? g with { Keys = [.. g.Keys, .. present.Select(p => p.Key)], Routes = g.Routes + 1 }
            : (present[0].Value, Child(path, present[0].Key), [.. present.Select(p => p.Key)], 1);
    }

    /// <summary>One warning for the whole file: grouping is Alertmanager's job, said once rather than on every route.</summary>
    private void WarnGrouping()
    {
        if (_grouping is { } g)
        {
            var keys = string.Join(", ", g.Keys.OrderBy(k => Array.IndexOf(AlertmanagerFields.Keys(AlertmanagerFields.Route), k)));
            var routes = g.Routes == 1 ? "1 route sets " + (g.Keys.Count == 1 ? "it" : "them") : $"{g.Routes} routes set " + (g.Keys.Count == 1 ? "it" : "them");
            Warn(g.First.Key.Line, g.Path,
                $"{keys} {(g.Keys.Count == 1 ? "is" : "are")} accepted but ignored by AlertRelay ({routes}): {AlertmanagerFields.Of(AlertmanagerFields.Route).First(f => f.Field == "group_by").Note}");
        }
    }

    private void Error(int line, string path, string message) => _errors.Add(new ConfigError(_file, line, path, message));

    private void Warn(int line, string path, string message) => _warnings.Add(new ConfigWarning(_file, line, path, message));

    /// <summary>
    /// Warns once for each field of <paramref name="fields"/> that Alertmanager knows and AlertRelay accepts without honouring
    /// (<paramref name="ignored"/>: field name to the reason, e.g. "Slack's Web API posts as the bot; the icon is the app's").
    /// The field must also be in the allowed keys given to <see cref="Fields"/>.
    /// </summary>
    private void WarnIgnored(Dictionary<string, Field> fields, string path, IReadOnlyDictionary<string, string> ignored)
    {
        foreach (var (key, field) in fields)
        {
            if (ignored.TryGetValue(key, out var reason))
            {
                Warn(field.Key.Line, Child(path, key), $"\"{key}\" is accepted but ignored by AlertRelay: {reason}");
            }
        }
    }

    // ---- structure ---------------------------------------------------------------------------------------------

    /// <summary>A key and its value in a mapping.</summary>
    private readonly record struct Field(ConfigScalar Key, ConfigNode Value);

    /// <summary>The fields of a mapping by key (first occurrence), reporting duplicate and unknown keys.</summary>
    private Dictionary<string, Field> Fields(
        ConfigMapping map, string path, IReadOnlyCollection<string> allowed, IReadOnlyDictionary<string, string>? hints = null)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var keyPath = Child(path, key.Value);
            if (!allowed.Contains(key.Value))
            {
                var hint = hints is not null && hints.TryGetValue(key.Value, out var h) ? h : DidYouMean(key.Value, allowed);
                Error(key.Line, keyPath, $"unknown field \"{key.Value}\"{(hint is null ? "" : $" ({hint})")}");
                continue;
            }

            if (fields.TryGetValue(key.Value, out var first))
            {
                Error(key.Line, keyPath, $"duplicate key \"{key.Value}\" (first set on line {first.Key.Line})");
                continue;
            }

            fields[key.Value] = new Field(key, value);
        }

        return fields;
    }

    private static ConfigNode? Value(Dictionary<string, Field> fields, string key) =>
        fields.TryGetValue(key, out var field) && !IsNull(field.Value) ? field.Value : null;

    private static bool IsNull(ConfigNode? node) => node is null || node is ConfigScalar { IsNull: true };

    private static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Index(string path, int index) => $"{path}[{index}]";

    private ConfigMapping? Mapping(ConfigNode node, string path)
    {
        if (node is ConfigMapping map)
        {
            return map;
        }

        Error(node.Line, path, $"expected a mapping, got {node.Describe()}");
        return null;
    }

    /// <summary>The items of a list; a null value is an empty list.</summary>
    private IReadOnlyList<ConfigNode> Sequence(ConfigNode? node, string path)
    {
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return [];
            case ConfigSequence sequence:
                return sequence.Items;
            default:
                Error(node.Line, path, $"expected a list, got {node.Describe()}");
                return [];
        }
    }

    // ---- scalars -----------------------------------------------------------------------------------------------

    /// <summary>A string value; like Go's yaml.v2, any scalar (number, boolean) is taken as its text. Null stays null.</summary>
    private string? String(ConfigNode? node, string path)
    {
        switch (node)
        {
            case null:
            case ConfigScalar { IsNull: true }:
                return null;
            case ConfigScalar scalar:
                return scalar.Value;
            default:
                Error(node.Line, path, $"expected a string, got {node.Describe()}");
                return null;
        }
    }

    /// <summary>A YAML 1.1 boolean as Go's yaml.v2 reads it (true/false, yes/no, on/off, y/n in the usual cases).</summary>
    private bool? Bool(ConfigNode? node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is ConfigScalar { IsUntypedPlain: true } scalar)
        {
            switch (scalar.Value)
            {
                case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y":
                    return true;
                case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N":
                    return false;
            }
        }

        Error(node!.Line, path, $"expected a boolean (true or false), got {node.Describe()}");
        return null;
    }

    private int? NonNegativeInt(ConfigNode? node, string path)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is ConfigScalar { IsUntypedPlain: true } scalar &&
            int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) &&
            value >= 0)
        {
            return value;
        }

        Error(node!.Line, path, $"expected a non-negative integer, got {node.Describe()}");
        return null;
    }

    private TimeSpan? Duration(ConfigNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not ConfigScalar scalar)
        {
            Error(node.Line, path, $"expected a duration such as 30s, 15m or 1h30m, got {node.Describe()}");
            return null;
        }

        var text = scalar.IsNull ? "" : scalar.Value;
        if (PrometheusDuration.TryParse(text, out var value, out var error))
        {
            return value;
        }

        Error(scalar.Line, path, error + " (use a duration such as 30s, 15m or 1h30m)");
        return null;
    }

    private IReadOnlyList<string> StringList(ConfigNode? node, string path)
    {
        var items = Sequence(node, path);
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (String(items[i], Index(path, i)) is { } value)
            {
                result.Add(value);
            }
            else if (IsNull(items[i]))
            {
                Error(items[i].Line, Index(path, i), "expected a string, got null");
            }
        }

        return result;
    }

    /// <summary>A map of strings to strings (like <c>match</c> or <c>headers</c>), in file order.</summary>
    private IReadOnlyList<(ConfigScalar Key, string Value, int Line)> StringMap(ConfigNode? node, string path)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (Mapping(node!, path) is not { } map)
        {
            return [];
        }

        var result = new List<(ConfigScalar, string, int)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Entries)
        {
            var keyPath = Child(path, key.Value);
            if (!seen.TryAdd(key.Value, key.Line))
            {
                Error(key.Line, keyPath, $"duplicate key \"{key.Value}\" (first set on line {seen[key.Value]})");
                continue;
            }

            // A null value is the empty string here (Go's map[string]string reads it so).
            var text = IsNull(value) ? "" : String(value, keyPath);
            if (text is not null)
            {
                result.Add((key, text, value.Line));
            }
        }

        return result;
    }

    /// <summary>A node as plain .NET values (for sections kept for later): strings (null for YAML null), lists and string-keyed dictionaries.</summary>
    private Dictionary<string, object?>? RawMap(ConfigNode node, string path) =>
        Mapping(node, path) is { } map ? (Dictionary<string, object?>)Raw(map)! : null;

    private static object? Raw(ConfigNode node) => node switch
    {
        ConfigScalar { IsNull: true } => null,
        ConfigScalar scalar => scalar.Value,
        ConfigSequence sequence => sequence.Items.Select(Raw).ToList(),
        ConfigMapping map => map.Entries
            .GroupBy(e => e.Key.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Raw(g.First().Value), StringComparer.Ordinal),
        _ => null,
    };

    // ---- matchers ----------------------------------------------------------------------------------------------

    /// <summary>
    /// A <c>matchers</c> list: each item is one Alertmanager matcher string, or several separated by commas (as
    /// Alertmanager 0.25 reads it with <c>labels.ParseMatchers</c>).
    /// </summary>
    private List<Matcher> MatcherList(ConfigNode? node, string path)
    {
        var matchers = new List<Matcher>();
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            var text = String(items[i], itemPath);
            if (text is null)
            {
                if (IsNull(items[i]))
                {
                    Error(items[i].Line, itemPath, "expected a matcher such as severity=\"critical\", got null");
                }

                continue;
            }

            try
            {
                matchers.AddRange(MatcherParser.ParseMatchers(text));
            }
            catch (MatcherParseException ex)
            {
                Error(items[i].Line, itemPath, ex.Message);
            }
        }

        return matchers;
    }

    /// <summary>The deprecated <c>match</c> (equality) or <c>match_re</c> (regex) maps of label name to value.</summary>
    private List<Matcher> LegacyMatchers(ConfigNode? node, string path, bool regex)
    {
        var matchers = new List<Matcher>();
        foreach (var (key, value, line) in StringMap(node, path))
        {
            if (regex && node is ConfigMapping map && map.Entries.FirstOrDefault(e => e.Key.Value == key.Value).Value is { } raw && IsNull(raw))
            {
                // Go's yaml.v2 leaves a null Regexp unset, which Alertmanager refuses (MatchRegexps.UnmarshalYAML): not an empty regex.
                Error(line, Child(path, key.Value), $"invalid regexp value for \"{key.Value}\"");
                continue;
            }

            if (!IsLabelName(key.Value))
            {
                Error(key.Line, Child(path, key.Value), $"invalid label name \"{key.Value}\"");
                continue;
            }

            try
            {
                matchers.Add(Matcher.Create(key.Value, regex ? MatchType.Regex : MatchType.Equal, value));
            }
            catch (MatcherParseException ex)
            {
                Error(line, Child(path, key.Value), ex.Reason);
            }
        }

        return matchers;
    }

    /// <summary>Alertmanager's matcher order (labels.Matchers.Less): by name, then value, then operator.</summary>
    private static Matcher[] Sorted(IEnumerable<Matcher> matchers) =>
        matchers
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ThenBy(m => m.Value, StringComparer.Ordinal)
            .ThenBy(m => m.Type)
            .ToArray();

    /// <summary>Prometheus' label name syntax (model.LabelNameRE).</summary>
    private static bool IsLabelName(string name) => LabelNameSyntax().IsMatch(name);

    [GeneratedRegex(@"^[a-zA-Z_][a-zA-Z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelNameSyntax();

    // ---- messages ----------------------------------------------------------------------------------------------

    /// <summary>"did you mean ...?" for a key one or two edits away from an allowed one.</summary>
    private static string? DidYouMean(string key, IReadOnlyCollection<string> allowed)
    {
        var best = allowed
            .Select(candidate => (candidate, distance: EditDistance(key, candidate)))
            .Where(x => x.distance <= 2 && x.distance < key.Length)
            .OrderBy(x => x.distance)
            .FirstOrDefault();
        return best.candidate is null ? null : $"did you mean \"{best.candidate}\"?";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

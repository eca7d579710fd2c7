using AlertRelay.Core.Alerts;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Routing;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>heartbeats:</c> section (AlertRelay's own): dead man's switches, and the routes of their HeartbeatMissing alerts.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] HeartbeatKeys = ["name", "matchers", "timeout", "receiver"];

    private List<Heartbeat> ReadHeartbeats(ConfigNode? node, IReadOnlySet<string> receivers)
    {
        var heartbeats = new List<Heartbeat>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = Sequence(node, "heartbeats");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("heartbeats", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, HeartbeatKeys);
            var name = String(Value(fields, "name"), Child(path, "name"));
            if (string.IsNullOrEmpty(name))
            {
                Error(fields.TryGetValue("name", out var n) ? n.Value.Line : map.Line, Child(path, "name"), "missing required field \"name\"");
            }
            else if (!firstLine.TryAdd(name, fields["name"].Value.Line))
            {
                Error(fields["name"].Value.Line, Child(path, "name"), $"duplicate heartbeat name \"{name}\" (first defined on line {firstLine[name]})");
            }

            var matchers = MatcherList(Value(fields, "matchers"), Child(path, "matchers"));
            if (Value(fields, "matchers") is null or ConfigSequence { Items.Count: 0 })
            {
                // Without a matcher every alert would count as the heartbeat: it could never go missing.
                Error(fields.TryGetValue("matchers", out var m) ? m.Key.Line : map.Line, Child(path, "matchers"),
                    "a heartbeat needs at least one matcher, such as alertname=\"Watchdog\"");
            }

            var timeout = ReadHeartbeatTimeout(fields, map, path);
            var receiver = String(Value(fields, "receiver"), Child(path, "receiver"));
            if (string.IsNullOrEmpty(receiver))
            {
                Error(fields.TryGetValue("receiver", out var r) ? r.Value.Line : map.Line, Child(path, "receiver"), "missing required field \"receiver\"");
            }
            else if (!receivers.Contains(receiver))
            {
                Error(fields["receiver"].Value.Line, Child(path, "receiver"), $"undefined receiver \"{receiver}\"");
            }

            heartbeats.Add(new Heartbeat(name ?? "", Sorted(matchers), timeout ?? TimeSpan.Zero, receiver ?? ""));
        }

        return heartbeats;
    }

    private TimeSpan? ReadHeartbeatTimeout(Dictionary<string, Field> fields, ConfigMapping map, string path)
    {
        var timeoutPath = Child(path, "timeout");
        if (!fields.TryGetValue("timeout", out var field))
        {
            Error(map.Line, path, "missing required field \"timeout\"");
            return null;
        }

        if (Duration(field.Value, timeoutPath) is not { } timeout)
        {
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            Error(field.Value.Line, timeoutPath, $"a heartbeat timeout must be greater than 0, got {PrometheusDuration.Format(timeout)}");
            return null;
        }

        return timeout;
    }

    /// <summary>
    /// The root route with one child per heartbeat put first: <c>alertname="HeartbeatMissing", heartbeat="&lt;name&gt;"</c> goes to the
    /// heartbeat's receiver and stops there, so the normal routing stage sends AlertRelay's own alert where the heartbeat says.
    /// </summary>
    private static Route HeartbeatRoutes(Route route, IReadOnlyList<Heartbeat> heartbeats)
    {
        if (heartbeats.Count == 0)
        {
            return route;
        }

        var children = heartbeats.Select((heartbeat, i) => route with
        {
            Receiver = heartbeat.Receiver,
            Matchers = Sorted(HeartbeatAlert.Matchers(heartbeat.Name)),
            Continue = false,
            Routes = [],
            Path = Index("heartbeats", i),
            MuteTimeIntervals = [],
            ActiveTimeIntervals = [],
        });
        return route with { Routes = [.. children, .. route.Routes] };
    }
}

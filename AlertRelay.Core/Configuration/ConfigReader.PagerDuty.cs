namespace AlertRelay.Core.Configuration;

/// <summary>A receiver's <c>pagerduty_configs</c> entries (Events API v2): every field Alertmanager knows is honoured or refused with a reason.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] PagerDutyKeys = AlertmanagerFields.Keys(AlertmanagerFields.PagerDuty);

    private static readonly Dictionary<string, string> PagerDutyHints = new(StringComparer.Ordinal)
    {
        ["custom_details"] = "Alertmanager's field is details; its templates become the event's payload.custom_details",
        ["routing_key_ref"] = "secret references need a secret manager; use routing_key or routing_key_file",
    };

    private static readonly string[] PagerDutyImageKeys = ["src", "alt", "href"];
    private static readonly string[] PagerDutyLinkKeys = ["href", "text"];

    private PagerDutyConfig? ReadPagerDuty(ConfigMapping map, string path)
    {
        var f = Fields(map, path, PagerDutyKeys, PagerDutyHints);
        foreach (var key in (string[])["service_key", "service_key_file"])
        {
            if (f.TryGetValue(key, out var field))
            {
                Error(field.Key.Line, Child(path, key), $"not supported by AlertRelay: {key} is an Events API v1 (Generic API) key; "
                    + "AlertRelay speaks Events API v2: use routing_key (or routing_key_file) with an Events API v2 integration key");
            }
        }

        var routingKey = Text(f, "routing_key", path);
        var routingKeyFile = Text(f, "routing_key_file", path);
        var missing = string.IsNullOrEmpty(routingKey) && string.IsNullOrEmpty(routingKeyFile);
        if (missing && !f.ContainsKey("service_key") && !f.ContainsKey("service_key_file"))
        {
            Error(map.Line, path, "missing routing key in PagerDuty config: one of routing_key or routing_key_file must be configured");
        }
        else if (!missing && !string.IsNullOrEmpty(routingKey) && !string.IsNullOrEmpty(routingKeyFile))
        {
            Error(f["routing_key_file"].Key.Line, path, "at most one of routing_key & routing_key_file must be configured");
        }

        var url = Text(f, "url", path);
        if (url is not null && WebhookConfig.UrlProblem(url) is { } problem)
        {
            Error(f["url"].Value.Line, Child(path, "url"), problem);
        }

        var severity = Template(f, "severity", path);
        if (severity is not null && !severity.Contains("{{", StringComparison.Ordinal) && !severity.Contains("{%", StringComparison.Ordinal)
            && !PagerDutyConfig.Severities.Contains(severity.Trim()))
        {
            Error(f["severity"].Value.Line, Child(path, "severity"), $"invalid PagerDuty severity \"{severity}\": one of {string.Join(", ", PagerDutyConfig.Severities)}");
        }

        var defaults = new PagerDutyConfig();
        var config = new PagerDutyConfig
        {
            RoutingKey = routingKey,
            RoutingKeyFile = routingKeyFile,
            Url = url ?? GlobalText("pagerduty_url") ?? defaults.Url,
            Client = Template(f, "client", path) ?? defaults.Client,
            ClientUrl = Template(f, "client_url", path) ?? defaults.ClientUrl,
            Description = Template(f, "description", path),
            Severity = severity?.Trim() ?? defaults.Severity,
            Source = Template(f, "source", path),
            Class = Template(f, "class", path),
            Component = Template(f, "component", path),
            Group = Template(f, "group", path),
            Details = StringMap(Value(f, "details"), Child(path, "details"))
                .ToDictionary(d => d.Key.Value, d => CheckTemplate(d.Line, Child(Child(path, "details"), d.Key.Value), d.Value), StringComparer.Ordinal),
            Images = ReadPagerDutyImages(Value(f, "images"), Child(path, "images")),
            Links = ReadPagerDutyLinks(Value(f, "links"), Child(path, "links")),
            HttpConfig = Value(f, "http_config") is { } http ? ReadHttpConfig(http, Child(path, "http_config")) : _globalHttpConfig,
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? true,
            Timeout = Duration(Value(f, "timeout"), Child(path, "timeout")) is { } timeout && timeout > TimeSpan.Zero ? timeout : null,
        };
        return missing ? null : config;
    }

    private List<PagerDutyImage> ReadPagerDutyImages(ConfigNode? node, string path)
    {
        var images = new List<PagerDutyImage>();
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            if (Mapping(items[i], itemPath) is { } map)
            {
                var f = Fields(map, itemPath, PagerDutyImageKeys);
                images.Add(new PagerDutyImage(Template(f, "src", itemPath) ?? "", Template(f, "alt", itemPath), Template(f, "href", itemPath)));
            }
        }

        return images;
    }

    private List<PagerDutyLink> ReadPagerDutyLinks(ConfigNode? node, string path)
    {
        var links = new List<PagerDutyLink>();
        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = Index(path, i);
            if (Mapping(items[i], itemPath) is { } map)
            {
                var f = Fields(map, itemPath, PagerDutyLinkKeys);
                links.Add(new PagerDutyLink(Template(f, "href", itemPath) ?? "", Template(f, "text", itemPath)));
            }
        }

        return links;
    }
}

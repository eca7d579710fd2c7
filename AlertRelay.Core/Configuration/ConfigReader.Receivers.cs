using AlertRelay.Core.Notify.Templates;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>receivers:</c> section: named receivers with their Slack, email and webhook integrations.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] ReceiverKeys =
        ["name", "slack_configs", "email_configs", "webhook_configs", "pagerduty_configs", "msteamsv2_configs"];

    private static readonly string[] SlackKeys =
        ["channel", "bot_token", "bot_token_file", "api_url", "api_url_file", "api_base_url", "send_resolved", "title", "text"];

    private static readonly string[] EmailKeys =
    [
        "to", "from", "smarthost", "require_tls", "auth_username", "auth_password", "auth_password_file",
        "send_resolved", "headers", "html", "text",
    ];

    private static readonly string[] WebhookKeys = ["url", "url_file", "send_resolved", "http_config", "max_alerts"];

    // Alertmanager integrations a pasted receiver may have: say plainly that they are not supported, not "unknown".
    private static readonly Dictionary<string, string> ReceiverHints = new[]
        {
            "discord_configs", "opsgenie_configs", "pushover_configs", "sns_configs", "telegram_configs",
            "victorops_configs", "webex_configs", "wechat_configs", "msteams_configs", "jira_configs",
            "rocketchat_configs", "incidentio_configs", "mattermost_configs",
        }
        .ToDictionary(
            key => key,
            _ => "an Alertmanager integration AlertRelay does not support; supported: slack_configs, email_configs, webhook_configs, pagerduty_configs, msteamsv2_configs",
            StringComparer.Ordinal);

    private List<ReceiverConfig> ReadReceivers(ConfigNode? node)
    {
        var receivers = new List<ReceiverConfig>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = Sequence(node, "receivers");
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index("receivers", i);
            if (Mapping(items[i], path) is not { } map)
            {
                continue;
            }

            var fields = Fields(map, path, ReceiverKeys, ReceiverHints);
            var name = String(Value(fields, "name"), Child(path, "name"));
            if (string.IsNullOrEmpty(name))
            {
                if (Value(fields, "name") is null or ConfigScalar)
                {
                    Error(map.Line, path, "missing name in receiver");
                }

                continue;
            }

            var nameLine = fields["name"].Value.Line;
            if (!firstLine.TryAdd(name, nameLine))
            {
                Error(nameLine, Child(path, "name"), $"duplicate receiver name \"{name}\" (first defined on line {firstLine[name]})");
                continue;
            }

            receivers.Add(new ReceiverConfig(
                name,
                Entries(fields, "slack_configs", path, ReadSlack),
                Entries(fields, "email_configs", path, ReadEmail),
                Entries(fields, "webhook_configs", path, ReadWebhook))
            {
                PagerDutyConfigs = Entries(fields, "pagerduty_configs", path, ReadPagerDuty),
                MsTeamsV2Configs = Entries(fields, "msteamsv2_configs", path, ReadMsTeamsV2),
            });
        }

        return receivers;
    }

    private List<T> Entries<T>(Dictionary<string, Field> fields, string key, string receiverPath, Func<ConfigMapping, string, T?> read)
        where T : class
    {
        var listPath = Child(receiverPath, key);
        var result = new List<T>();
        var items = Sequence(Value(fields, key), listPath);
        for (var i = 0; i < items.Count; i++)
        {
            var path = Index(listPath, i);
            if (Mapping(items[i], path) is { } map && read(map, path) is { } entry)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    private SlackConfig? ReadSlack(ConfigMapping map, string path)
    {
        var f = Fields(map, path, SlackKeys);
        var channel = Required(f, "channel", map, path);
        var config = new SlackConfig
        {
            Channel = channel ?? "",
            BotToken = Text(f, "bot_token", path),
            BotTokenFile = Text(f, "bot_token_file", path),
            ApiUrl = Text(f, "api_url", path),
            ApiUrlFile = Text(f, "api_url_file", path),
            ApiBaseUrl = Text(f, "api_base_url", path),
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? false,
            Title = Template(f, "title", path),
            Text = Template(f, "text", path),
        };
        return channel is null ? null : config;
    }

    private EmailConfig? ReadEmail(ConfigMapping map, string path)
    {
        var f = Fields(map, path, EmailKeys);
        var to = Required(f, "to", map, path);
        var config = new EmailConfig
        {
            To = to ?? "",
            From = Text(f, "from", path),
            Smarthost = Text(f, "smarthost", path),
            RequireTls = Bool(Value(f, "require_tls"), Child(path, "require_tls")),
            AuthUsername = Text(f, "auth_username", path),
            AuthPassword = Text(f, "auth_password", path),
            AuthPasswordFile = Text(f, "auth_password_file", path),
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? false,
            Headers = StringMap(Value(f, "headers"), Child(path, "headers"))
                .ToDictionary(h => h.Key.Value, h => CheckTemplate(h.Line, Child(Child(path, "headers"), h.Key.Value), h.Value), StringComparer.Ordinal),
            Html = Template(f, "html", path),
            Text = Template(f, "text", path),
        };
        return to is null ? null : config;
    }

    private WebhookConfig? ReadWebhook(ConfigMapping map, string path)
    {
        var f = Fields(map, path, WebhookKeys);
        var url = Text(f, "url", path);
        var urlFile = Text(f, "url_file", path);
        var missing = string.IsNullOrEmpty(url) && string.IsNullOrEmpty(urlFile);
        if (missing)
        {
            Error(map.Line, path, "one of url or url_file must be configured");
        }
        else if (!string.IsNullOrEmpty(url) && !string.IsNullOrEmpty(urlFile))
        {
            Error(map.Line, path, "at most one of url & url_file must be configured");
        }
        else if (!string.IsNullOrEmpty(url) && WebhookConfig.UrlProblem(url) is { } problem)
        {
            Error(f["url"].Value.Line, Child(path, "url"), problem); // the URL itself is not repeated: it may hold a token
        }

        var config = new WebhookConfig
        {
            Url = url,
            UrlFile = urlFile,
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? true,
            HttpConfig = ReadHttpConfig(Value(f, "http_config"), Child(path, "http_config")),
            MaxAlerts = NonNegativeInt(Value(f, "max_alerts"), Child(path, "max_alerts")) ?? 0,
        };
        return missing ? null : config;
    }

    /// <summary>A message template: reported with its line when it is not valid Liquid, so it cannot fail at send time.</summary>
    private string? Template(Dictionary<string, Field> fields, string key, string path)
    {
        var node = Value(fields, key);
        var text = String(node, Child(path, key));
        return text is null ? null : CheckTemplate(node!.Line, Child(path, key), text);
    }

    private string CheckTemplate(int line, string path, string template)
    {
        if (!TemplateRenderer.TryParse(template, out var error))
        {
            Error(line, path, error!);
        }

        return template;
    }

    private string? Text(Dictionary<string, Field> fields, string key, string path) => String(Value(fields, key), Child(path, key));

    /// <summary>A string field that must be present and non-empty; reports it and returns null otherwise.</summary>
    private string? Required(Dictionary<string, Field> fields, string key, ConfigMapping map, string path)
    {
        var value = Text(fields, key, path);
        if (string.IsNullOrEmpty(value) && Value(fields, key) is null or ConfigScalar)
        {
            Error(fields.TryGetValue(key, out var field) ? field.Key.Line : map.Line, path, $"missing required field \"{key}\"");
            return null;
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }
}

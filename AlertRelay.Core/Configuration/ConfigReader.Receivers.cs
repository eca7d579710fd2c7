using AlertRelay.Core.Notify.Templates;

namespace AlertRelay.Core.Configuration;

/// <summary>The <c>receivers:</c> section: named receivers with their Slack, email and webhook integrations.</summary>
internal sealed partial class ConfigReader
{
    // Alertmanager's keys (AlertmanagerFields), plus AlertRelay's own: bot_token(_file) and api_base_url for Slack's Web API.
    private static readonly string[] ReceiverKeys = AlertmanagerFields.Keys(AlertmanagerFields.Receivers);

    private static readonly string[] SlackKeys = [.. AlertmanagerFields.Keys(AlertmanagerFields.Slack), "bot_token", "bot_token_file", "api_base_url"];

    private static readonly string[] EmailKeys = AlertmanagerFields.Keys(AlertmanagerFields.Email);

    private static readonly string[] WebhookKeys = AlertmanagerFields.Keys(AlertmanagerFields.Webhook);

    private const string SlackPostMessage = "chat.postMessage";

    /// <summary>Receiver blocks skipped because <see cref="ConfigOptions.IgnoreUnsupportedReceivers"/> is set, by kind.</summary>
    private readonly Dictionary<string, int> _ignoredIntegrations = new(StringComparer.Ordinal);

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

            var fields = Fields(map, path, ReceiverKeys);
            WarnIgnored(fields, path, AlertmanagerFields.Ignored(AlertmanagerFields.Receivers));
            var ignoredKinds = UnsupportedIntegrations(fields, path);
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

            var receiver = new ReceiverConfig(
                name,
                Entries(fields, "slack_configs", path, ReadSlack),
                Entries(fields, "email_configs", path, ReadEmail),
                Entries(fields, "webhook_configs", path, ReadWebhook))
            {
                PagerDutyConfigs = Entries(fields, "pagerduty_configs", path, ReadPagerDuty),
                MsTeamsV2Configs = Entries(fields, "msteamsv2_configs", path, ReadMsTeamsV2),
            };
            receivers.Add(receiver);
            if (ignoredKinds.Count > 0 && receiver.SlackConfigs.Count + receiver.EmailConfigs.Count + receiver.WebhookConfigs.Count
                + receiver.PagerDutyConfigs.Count + receiver.MsTeamsV2Configs.Count == 0)
            {
                Warn(nameLine, Child(path, "name"),
                    $"receiver \"{name}\" notifies nobody: its only integrations ({string.Join(", ", ignoredKinds)}) were ignored");
            }
        }

        return receivers;
    }

    /// <summary>
    /// The receiver's blocks of kinds AlertRelay cannot deliver to: errors naming the kind, or, with
    /// <see cref="ConfigOptions.IgnoreUnsupportedReceivers"/>, one warning per list entry. Returns the kinds ignored (non-empty lists only).
    /// </summary>
    private List<string> UnsupportedIntegrations(Dictionary<string, Field> fields, string path)
    {
        var ignored = new List<string>();
        foreach (var kind in AlertmanagerFields.UnsupportedIntegrations)
        {
            if (!fields.TryGetValue(kind, out var field) || IsNull(field.Value) || field.Value is ConfigSequence { Items.Count: 0 })
            {
                continue; // an empty list asks for nothing
            }

            var kindPath = Child(path, kind);
            if (!_options.IgnoreUnsupportedReceivers)
            {
                Error(field.Key.Line, kindPath,
                    $"unsupported receiver kind \"{kind}\": AlertRelay cannot deliver to it (supported: {string.Join(", ", AlertmanagerFields.SupportedIntegrations)}); "
                    + $"remove it, or set {ConfigOptions.SectionName}:{nameof(ConfigOptions.IgnoreUnsupportedReceivers)}=true to skip such blocks with a warning");
                continue;
            }

            var items = field.Value is ConfigSequence sequence ? sequence.Items : [field.Value];
            for (var i = 0; i < items.Count; i++)
            {
                Warn(items[i].Line, field.Value is ConfigSequence ? Index(kindPath, i) : kindPath,
                    $"unsupported receiver kind \"{kind}\" ignored ({ConfigOptions.SectionName}:{nameof(ConfigOptions.IgnoreUnsupportedReceivers)}=true): "
                    + "alerts routed here are not sent through it");
            }

            _ignoredIntegrations[kind] = _ignoredIntegrations.GetValueOrDefault(kind) + items.Count;
            ignored.Add(kind);
        }

        return ignored;
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
        var ignored = new Dictionary<string, string>(AlertmanagerFields.Ignored(AlertmanagerFields.Slack), StringComparer.Ordinal);
        Field? authorization = null;
        (string? Credentials, string? File) httpToken = (null, null);
        if (Value(f, "http_config") is { } http && Mapping(http, Child(path, "http_config")) is { } httpMap)
        {
            var httpPath = Child(path, "http_config");
            var h = Fields(httpMap, httpPath, AlertmanagerFields.Keys(AlertmanagerFields.HttpConfig)); // unknown keys are still errors
            if (h.TryGetValue("authorization", out var auth) && Mapping(auth.Value, Child(httpPath, "authorization")) is { } authMap)
            {
                // Alertmanager's way of giving a bot token before app_token: the Authorization header's credentials. Honoured as the token.
                var a = Fields(authMap, Child(httpPath, "authorization"), ["type", "credentials", "credentials_file", "credentials_ref"]);
                RefuseRef(a, Child(httpPath, "authorization"), "credentials_ref");
                (authorization, httpToken) = (auth, (Text(a, "credentials", Child(httpPath, "authorization")), Text(a, "credentials_file", Child(httpPath, "authorization"))));
                if (h.Count == 1)
                {
                    ignored.Remove("http_config"); // nothing else in it to ignore
                }
            }
        }

        WarnIgnored(f, path, ignored);

        Exclusive(f, path, "api_url", "api_url_file");
        Exclusive(f, path, "app_token", "app_token_file");
        Exclusive(f, path, "bot_token", "bot_token_file");
        var botToken = Text(f, "bot_token", path);
        var botTokenFile = Text(f, "bot_token_file", path);
        var appToken = Text(f, "app_token", path);
        var appTokenFile = Text(f, "app_token_file", path);
        if ((botToken ?? botTokenFile) is not null && (appToken ?? appTokenFile) is not null)
        {
            Error(map.Line, path, "at most one of bot_token/bot_token_file & app_token/app_token_file must be configured (they are the same Web API token)");
        }

        if (authorization is { } authField && (appToken ?? appTokenFile) is not null)
        {
            Error(authField.Key.Line, Child(path, "http_config.authorization"), "http authorization can't be set when using Slack App tokens");
        }
        else if ((botToken ?? botTokenFile) is null && (httpToken.Credentials ?? httpToken.File) is not null)
        {
            (botToken, botTokenFile) = httpToken;
        }

        var apiUrl = Text(f, "api_url", path);
        var apiUrlFile = Text(f, "api_url_file", path);
        if (apiUrl is null && apiUrlFile is null && (botToken ?? botTokenFile ?? appToken ?? appTokenFile) is null)
        {
            // As Alertmanager: an entry without its own credentials takes the global ones, the app token first.
            (appToken, appTokenFile) = (GlobalText("slack_app_token"), GlobalText("slack_app_token_file"));
            if (appToken is null && appTokenFile is null)
            {
                (apiUrl, apiUrlFile) = (GlobalText("slack_api_url"), GlobalText("slack_api_url_file"));
            }
        }

        var token = botToken ?? appToken;
        var tokenFile = botTokenFile ?? appTokenFile;
        var missing = false;
        if (apiUrl is null && apiUrlFile is null && token is null && tokenFile is null)
        {
            Error(map.Line, path, "no Slack API URL nor token set either inline or in a file (api_url, api_url_file, app_token, app_token_file, "
                + "bot_token, bot_token_file, or global slack_api_url, slack_api_url_file, slack_app_token, slack_app_token_file)");
            missing = true;
        }

        // The Web API posts to a channel; an incoming webhook posts where it was created for.
        var channel = Text(f, "channel", path);
        if ((token ?? tokenFile) is not null && string.IsNullOrEmpty(channel))
        {
            Error(f.TryGetValue("channel", out var c) ? c.Key.Line : map.Line, path,
                "missing required field \"channel\" (Slack's Web API, used with a bot or app token, posts to a channel)");
            missing = true;
        }

        if ((token ?? tokenFile) is null && Bool(Value(f, "update_message"), Child(path, "update_message")) == true)
        {
            // Alertmanager 0.30+ refuses it too: an incoming webhook's messages cannot be updated.
            Error(f["update_message"].Key.Line, Child(path, "update_message"), "update_message can only be used with a bot or app token, not an incoming webhook URL");
        }

        var config = new SlackConfig
        {
            Channel = channel ?? "",
            BotToken = token,
            BotTokenFile = tokenFile,
            ApiUrl = apiUrl,
            ApiUrlFile = apiUrlFile,
            ApiBaseUrl = Text(f, "api_base_url", path) ?? SlackAppBase(f, path),
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? false,
            Title = Template(f, "title", path),
            Text = Template(f, "text", path),
        };
        return missing ? null : config;
    }

    /// <summary>The Web API base from <c>app_url</c> (or global <c>slack_app_url</c>): the URL without its <c>chat.postMessage</c> method.</summary>
    private string? SlackAppBase(Dictionary<string, Field> f, string path)
    {
        var own = Text(f, "app_url", path);
        var url = own ?? GlobalText("slack_app_url");
        if (url is null)
        {
            return null;
        }

        var trimmed = url.TrimEnd('/');
        if (trimmed.EndsWith("/" + SlackPostMessage, StringComparison.Ordinal))
        {
            return trimmed[..^SlackPostMessage.Length];
        }

        var line = own is not null ? f["app_url"].Key.Line : f.Count > 0 ? f.Values.Min(v => v.Key.Line) : 0;
        Warn(line, own is not null ? Child(path, "app_url") : path,
            $"\"app_url\" is accepted but ignored by AlertRelay: it does not end in /{SlackPostMessage}, so AlertRelay posts to {Notify.Slack.SlackSender.DefaultApiBaseUrl}");
        return null;
    }

    private void Exclusive(Dictionary<string, Field> f, string path, string value, string file)
    {
        if (Value(f, value) is not null && Value(f, file) is not null)
        {
            Error(f[file].Key.Line, path, $"at most one of {value} & {file} must be configured");
        }
    }

    private EmailConfig? ReadEmail(ConfigMapping map, string path)
    {
        var f = Fields(map, path, EmailKeys);
        WarnIgnored(f, path, AlertmanagerFields.Ignored(AlertmanagerFields.Email));
        Exclusive(f, path, "auth_password", "auth_password_file");
        Exclusive(f, path, "auth_secret", "auth_secret_file");
        var to = Required(f, "to", map, path);
        var missing = to is null;
        if (string.IsNullOrEmpty(Text(f, "smarthost", path)) && GlobalText("smtp_smarthost") is null)
        {
            Error(map.Line, path, "no global SMTP smarthost set (set smarthost here or smtp_smarthost in global)");
            missing = true;
        }

        if (string.IsNullOrEmpty(Text(f, "from", path)) && GlobalText("smtp_from") is null)
        {
            Error(map.Line, path, "no global SMTP from set (set from here or smtp_from in global)");
            missing = true;
        }

        var config = new EmailConfig
        {
            To = to ?? "",
            From = Text(f, "from", path),
            Hello = Text(f, "hello", path),
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
        return missing ? null : config;
    }

    private WebhookConfig? ReadWebhook(ConfigMapping map, string path)
    {
        var f = Fields(map, path, WebhookKeys);
        WarnIgnored(f, path, AlertmanagerFields.Ignored(AlertmanagerFields.Webhook));
        Refuse(f, path, AlertmanagerFields.Refused(AlertmanagerFields.Webhook));
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
            HttpConfig = Value(f, "http_config") is { } http ? ReadHttpConfig(http, Child(path, "http_config")) : _globalHttpConfig,
            MaxAlerts = NonNegativeInt(Value(f, "max_alerts"), Child(path, "max_alerts")) ?? 0,
        };
        return missing ? null : config;
    }

    /// <summary>Reports each present field of <paramref name="refused"/> (field to reason) as not supported.</summary>
    private void Refuse(Dictionary<string, Field> fields, string path, IReadOnlyDictionary<string, string> refused)
    {
        foreach (var (key, field) in fields)
        {
            if (refused.TryGetValue(key, out var why))
            {
                Error(field.Key.Line, Child(path, key), $"not supported by AlertRelay: {why}");
            }
        }
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

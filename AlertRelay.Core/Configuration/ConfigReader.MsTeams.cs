namespace AlertRelay.Core.Configuration;

/// <summary>A receiver's <c>msteamsv2_configs</c> entries (Teams Workflows webhooks): every field Alertmanager knows is honoured.</summary>
internal sealed partial class ConfigReader
{
    private static readonly string[] MsTeamsV2Keys = AlertmanagerFields.Keys(AlertmanagerFields.MsTeamsV2);

    private MsTeamsV2Config? ReadMsTeamsV2(ConfigMapping map, string path)
    {
        var f = Fields(map, path, MsTeamsV2Keys);
        var url = Text(f, "webhook_url", path);
        var urlFile = Text(f, "webhook_url_file", path);
        var missing = string.IsNullOrEmpty(url) && string.IsNullOrEmpty(urlFile);
        if (missing)
        {
            Error(map.Line, path, "one of webhook_url or webhook_url_file must be configured");
        }
        else if (!string.IsNullOrEmpty(url) && !string.IsNullOrEmpty(urlFile))
        {
            Error(f["webhook_url_file"].Key.Line, path, "at most one of webhook_url & webhook_url_file must be configured");
        }
        else if (!string.IsNullOrEmpty(url) && WebhookConfig.UrlProblem(url) is { } problem)
        {
            Error(f["webhook_url"].Value.Line, Child(path, "webhook_url"), problem); // never repeated: the URL carries its signature
        }

        var config = new MsTeamsV2Config
        {
            WebhookUrl = url,
            WebhookUrlFile = urlFile,
            Title = Template(f, "title", path),
            Text = Template(f, "text", path),
            HttpConfig = Value(f, "http_config") is { } http ? ReadHttpConfig(http, Child(path, "http_config")) : _globalHttpConfig,
            SendResolved = Bool(Value(f, "send_resolved"), Child(path, "send_resolved")) ?? true,
        };
        return missing ? null : config;
    }
}

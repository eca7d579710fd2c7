using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>
/// Every field in <see cref="AlertmanagerFields"/> put in a file, one at a time: an honoured field is never "unknown" nor warned,
/// an ignored one is warned with its line, a refused one is an error with its line. A field Alertmanager does not know stays unknown.
/// </summary>
public sealed class AlertmanagerFieldsTests
{
    private const string Receiver = "route:\n  receiver: r\nreceivers:\n  - name: r\n";

    // Fields the base files below already set (a second one would be a duplicate key).
    private static readonly HashSet<(string, string)> InBase =
    [
        (AlertmanagerFields.TopLevel, "route"), (AlertmanagerFields.TopLevel, "receivers"), (AlertmanagerFields.Receivers, "name"),
        (AlertmanagerFields.Slack, "api_url"), (AlertmanagerFields.Email, "to"), (AlertmanagerFields.Email, "from"),
        (AlertmanagerFields.Email, "smarthost"), (AlertmanagerFields.Webhook, "url"), (AlertmanagerFields.PagerDuty, "routing_key"),
        (AlertmanagerFields.MsTeamsV2, "webhook_url"),
    ];

    // Values of the right type where "true" is not one and the field is ignored or checked (an ignored field is still type-checked).
    private static readonly Dictionary<(string, string), string> Values = new()
    {
        [(AlertmanagerFields.Route, "group_by")] = "[alertname]",
        [(AlertmanagerFields.Route, "group_wait")] = "30s",
        [(AlertmanagerFields.Route, "group_interval")] = "5m",
        [(AlertmanagerFields.Route, "repeat_interval")] = "4h",
        [(AlertmanagerFields.Slack, "http_config")] = "{follow_redirects: true}",
        [(AlertmanagerFields.Slack, "update_message")] = "false",
        [(AlertmanagerFields.Slack, "app_url")] = "https://slack.com/api/chat.postMessage",
        [(AlertmanagerFields.PagerDuty, "url")] = "http://127.0.0.1:9/",
        [(AlertmanagerFields.PagerDuty, "details")] = "{team: db}",
        [(AlertmanagerFields.PagerDuty, "images")] = "[]",
        [(AlertmanagerFields.PagerDuty, "links")] = "[]",
        [(AlertmanagerFields.PagerDuty, "severity")] = "critical",
        [(AlertmanagerFields.PagerDuty, "timeout")] = "10s",
        [(AlertmanagerFields.PagerDuty, "http_config")] = "{follow_redirects: true}",
        [(AlertmanagerFields.MsTeamsV2, "http_config")] = "{follow_redirects: true}",
    };

    public static TheoryData<string, string> Fields()
    {
        var data = new TheoryData<string, string>();
        foreach (var f in AlertmanagerFields.All.Where(f => !InBase.Contains((f.Block, f.Field))))
        {
            data.Add(f.Block, f.Field);
        }

        return data;
    }

    /// <summary>A file with <paramref name="field"/> set (to <c>true</c> unless <see cref="Values"/> says) in <paramref name="block"/>, and its line.</summary>
    private static (string Yaml, int Line) FileWith(string block, string field) => FileWith(block, field, Values.GetValueOrDefault((block, field), "true"));

    private static (string Yaml, int Line) FileWith(string block, string field, string value) => block switch
    {
        AlertmanagerFields.TopLevel => (Receiver + $"{field}: {value}\n", 5),
        AlertmanagerFields.Global => ($"global:\n  {field}: {value}\n" + Receiver, 2),
        AlertmanagerFields.Route => ($"route:\n  receiver: r\n  routes:\n    - receiver: r\n      {field}: {value}\nreceivers:\n  - name: r\n", 5),
        AlertmanagerFields.Receivers => (Receiver + $"    {field}: {value}\n", 5),
        AlertmanagerFields.InhibitRules => (Receiver + $"inhibit_rules:\n  - {field}: {value}\n", 6),
        AlertmanagerFields.Slack => (Receiver + $"    slack_configs:\n      - api_url: https://hooks.example.com/x\n        {field}: {value}\n", 7),
        AlertmanagerFields.Email => (Receiver + "    email_configs:\n      - to: a@example.com\n        from: r@example.com\n"
            + $"        smarthost: smtp.example.com:25\n        {field}: {value}\n", 9),
        AlertmanagerFields.Webhook => (Receiver + $"    webhook_configs:\n      - url: http://127.0.0.1:9/\n        {field}: {value}\n", 7),
        AlertmanagerFields.PagerDuty => (Receiver + $"    pagerduty_configs:\n      - routing_key: k\n        {field}: {value}\n", 7),
        AlertmanagerFields.MsTeamsV2 => (Receiver + $"    msteamsv2_configs:\n      - webhook_url: https://example.com/w\n        {field}: {value}\n", 7),
        AlertmanagerFields.HttpConfig => (Receiver + $"    webhook_configs:\n      - url: http://127.0.0.1:9/\n        http_config:\n          {field}: {value}\n", 8),
        _ => throw new ArgumentOutOfRangeException(nameof(block), block, null),
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_IsHandledAsTheTableSays(string block, string field)
    {
        var support = AlertmanagerFields.All.Single(f => f.Block == block && f.Field == field);
        var (yaml, line) = FileWith(block, field);

        var config = ConfigReader.Read(yaml, "t.yml", null, ConfigOptions.Default, out var errors);

        Assert.DoesNotContain(errors, e => e.Message.StartsWith("unknown field", StringComparison.Ordinal));
        switch (support.Handling)
        {
            case FieldHandling.Honoured:
                // A value of the wrong type may be an error, but never a warning that it is ignored.
                Assert.DoesNotContain(config?.Warnings ?? [], w => w.Line == line && w.Message.Contains("ignored", StringComparison.Ordinal));
                break;
            case FieldHandling.Ignored:
                Assert.Empty(errors);
                Assert.Contains(config!.Warnings, w => w.Line == line && w.Message.Contains(field, StringComparison.Ordinal)
                    && w.Message.Contains("ignored by AlertRelay", StringComparison.Ordinal));
                break;
            case FieldHandling.Refused:
                Assert.Contains(errors, e => e.Line == line && (e.Message.StartsWith("not supported by AlertRelay: ", StringComparison.Ordinal)
                    || e.Message.StartsWith($"unsupported receiver kind \"{field}\"", StringComparison.Ordinal)));
                break;
        }
    }

    [Theory]
    [InlineData(AlertmanagerFields.Slack, "image_urll", "image_url")]
    [InlineData(AlertmanagerFields.Email, "auth_secrett", "auth_secret")]
    [InlineData(AlertmanagerFields.Global, "slack_app_tokn", "slack_app_token")]
    [InlineData(AlertmanagerFields.HttpConfig, "enable_http", "enable_http2")]
    public void UnknownField_IsStillAnError_WithDidYouMean(string block, string field, string suggestion)
    {
        var (yaml, line) = FileWith(block, field);

        Assert.Null(ConfigReader.Read(yaml, "t.yml", null, ConfigOptions.Default, out var errors));

        var error = Assert.Single(errors);
        Assert.Equal(line, error.Line);
        Assert.Equal($"unknown field \"{field}\" (did you mean \"{suggestion}\"?)", error.Message);
    }

    [Fact]
    public void Table_HasEveryIntegrationKind_AlertmanagerKnows_AndNoFieldTwice()
    {
        Assert.Equal(AlertmanagerFields.All.Count, AlertmanagerFields.All.Select(f => (f.Block, f.Field)).Distinct().Count());
        var kinds = AlertmanagerFields.Of(AlertmanagerFields.Receivers).Where(f => f.Field.EndsWith("_configs", StringComparison.Ordinal)).Select(f => f.Field);
        Assert.Equal(
            [.. AlertmanagerFields.SupportedIntegrations, .. AlertmanagerFields.UnsupportedIntegrations],
            kinds);
        Assert.All(AlertmanagerFields.All.Where(f => f.Handling != FieldHandling.Honoured), f => Assert.False(string.IsNullOrWhiteSpace(f.Note)));
    }
}

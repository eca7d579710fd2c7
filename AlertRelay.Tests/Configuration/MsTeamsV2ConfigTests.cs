using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>Every field of <c>msteamsv2_configs</c>: what it reads into, and what is refused with its file:line.</summary>
public sealed class MsTeamsV2ConfigTests
{
    private const string File = "alertrelay.yml";
    private const string SignedUrl = "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=S3CRETSIG";

    private static string Yaml(string entry) => $"""
        route: {"{receiver: r}"}
        receivers:
          - name: r
            msteamsv2_configs:
        {string.Join("\n", entry.Split('\n').Select((line, i) => (i == 0 ? "      - " : "        ") + line))}
        """;

    private static MsTeamsV2Config Read(string entry) =>
        Assert.Single(Assert.Single(RelayConfigLoader.LoadFromYaml(Yaml(entry), File).Receivers).MsTeamsV2Configs);

    [Fact]
    public void Load_ReadsEveryField_WhenAllAreSet()
    {
        var config = RelayConfigLoader.LoadFromYaml(Yaml($"""
            webhook_url: '{SignedUrl}'
            title: '{"{{ status | upcase }}"}: {"{{ alertname }}"}'
            text: '{"{{ annotations.summary }}"}'
            http_config: {"{authorization: {credentials: t0ken}}"}
            send_resolved: false
            """), File);
        var teams = Assert.Single(Assert.Single(config.Receivers).MsTeamsV2Configs);

        Assert.Empty(config.Warnings);
        Assert.Equal((SignedUrl, null), (teams.WebhookUrl, teams.WebhookUrlFile));
        Assert.Equal(("{{ status | upcase }}: {{ alertname }}", "{{ annotations.summary }}"), (teams.Title, teams.Text));
        Assert.Equal("t0ken", teams.HttpConfig.Credentials);
        Assert.False(teams.SendResolved);
    }

    [Fact]
    public void Load_UsesAlertmanagersDefaults_WhenOnlyAUrlFileIsSet()
    {
        var teams = Read("webhook_url_file: /run/secrets/teams");

        Assert.Equal(("/run/secrets/teams", null, null, null, true), (teams.WebhookUrlFile, teams.WebhookUrl, teams.Title, teams.Text, teams.SendResolved));
    }

    [Fact]
    public void ToString_HidesTheWebhookUrl()
    {
        Assert.DoesNotContain("S3CRETSIG", Read($"webhook_url: '{SignedUrl}'").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no url", "title: x", 5, "receivers[0].msteamsv2_configs[0]", "one of webhook_url or webhook_url_file must be configured")]
    [InlineData("url and file", "webhook_url: https://x.example.com/w?sig=S3CRETSIG\nwebhook_url_file: /f", 6, "receivers[0].msteamsv2_configs[0]",
        "at most one of webhook_url & webhook_url_file must be configured")]
    [InlineData("a relative url", "webhook_url: /workflows?sig=S3CRETSIG", 5, "receivers[0].msteamsv2_configs[0].webhook_url",
        "invalid URL: not an absolute http or https URL")]
    [InlineData("a Go template", "webhook_url_file: /f\ntitle: '{{ .CommonLabels.alertname }}'", 6, "receivers[0].msteamsv2_configs[0].title",
        "looks like an Alertmanager (Go) template")]
    [InlineData("broken Liquid", "webhook_url_file: /f\ntext: '{% if %}'", 6, "receivers[0].msteamsv2_configs[0].text", "invalid Liquid template")]
    [InlineData("an unknown field", "webhook_url_file: /f\nsummary: x", 6, "receivers[0].msteamsv2_configs[0].summary", "unknown field \"summary\"")]
    [InlineData("an http_config AlertRelay cannot honour", "webhook_url_file: /f\nhttp_config: {oauth2: {client_id: x}}", 6,
        "receivers[0].msteamsv2_configs[0].http_config.oauth2", "not supported by AlertRelay: OAuth 2")]
    public void Load_RefusesWithFileLineAndPath_WhenAFieldCannotWork(string name, string entry, int line, string path, string message)
    {
        var error = Assert.Single(Assert.Throws<ConfigException>(() => RelayConfigLoader.LoadFromYaml(Yaml(entry), File)).Errors);

        Assert.True((File, line, path) == (error.File, error.Line, error.Path), $"{name}: {error}");
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("S3CRETSIG", error.ToString(), StringComparison.Ordinal);
    }
}

using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>What a webhook's <c>http_config</c> reads into: the parts AlertRelay honours, and the harmless settings it accepts.</summary>
public sealed class WebhookHttpConfigTests
{
    private const string File = "alertrelay.yml";

    private static HttpConfig Read(string httpConfig)
    {
        var indented = string.Join("\n", httpConfig.Split('\n').Select(line => "          " + line));
        var config = RelayConfigLoader.LoadFromYaml($"""
            route: {"{receiver: r}"}
            receivers:
              - name: r
                webhook_configs:
                  - url: https://hooks.example.com/alerts
                    http_config:
            {indented}
            """, File);
        return Assert.Single(Assert.Single(config.Receivers).WebhookConfigs).HttpConfig;
    }

    [Fact]
    public void Load_ReadsAuthorization_WithBearerAsTheDefaultType()
    {
        var http = Read("authorization: {credentials: s3cret}");

        Assert.Equal(("Bearer", "s3cret", null, true), (http.AuthorizationType, http.Credentials, http.CredentialsFile, http.FollowRedirects));
        Assert.DoesNotContain("s3cret", http.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReadsTheTypeAndCredentialsFile_WhenAuthorizationHasThem()
    {
        var http = Read("authorization: {type: Token, credentials_file: /run/secrets/token}\nfollow_redirects: false");

        Assert.Equal(("Token", null, "/run/secrets/token", false), (http.AuthorizationType, http.Credentials, http.CredentialsFile, http.FollowRedirects));
    }

    [Fact]
    public void Load_TakesBearerTokenFileAsAuthorization_WhenTheOlderSpellingIsUsed()
    {
        var http = Read("bearer_token_file: /run/secrets/token");

        Assert.Equal(("Bearer", "/run/secrets/token"), (http.AuthorizationType, http.CredentialsFile));
    }

    [Fact]
    public void Load_ReadsBasicAuth_WithAPasswordFile()
    {
        var http = Read("basic_auth: {username: relay, password_file: /run/secrets/password}");

        Assert.Equal((true, "relay", null, "/run/secrets/password"), (http.HasBasicAuth, http.Username, http.Password, http.PasswordFile));
    }

    [Theory]
    [InlineData("enable_http2: true")]
    [InlineData("tls_config: {insecure_skip_verify: false}")]
    [InlineData("tls_config: {}")]
    [InlineData("proxy_from_environment: false")]
    [InlineData("follow_redirects: true")]
    public void Load_Accepts_WhenASettingAsksForNothingAlertRelayCannotDo(string setting)
    {
        Assert.Equal(HttpConfig.Default, Read(setting));
    }
}

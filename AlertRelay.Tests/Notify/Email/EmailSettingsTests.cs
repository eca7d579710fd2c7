using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify.Email;

namespace AlertRelay.Tests.Notify.Email;

public sealed class EmailSettingsTests
{
    private static readonly Dictionary<string, object?> Global = new()
    {
        ["smtp_smarthost"] = "smtp.example.com:587",
        ["smtp_from"] = "alertmanager@example.com",
        ["smtp_hello"] = "relay.example.com",
        ["smtp_auth_username"] = "global-user",
        ["smtp_auth_password"] = "global-secret",
        ["smtp_require_tls"] = "false",
    };

    private static EmailSettings Resolve(EmailConfig config, IReadOnlyDictionary<string, object?> global)
    {
        Assert.True(EmailSettings.TryResolve(config, global, out var settings, out var error), error);
        return settings!;
    }

    [Fact]
    public void TryResolve_TakesGlobalSmtpValues_WhenTheEmailConfigLeavesThemEmpty()
    {
        var settings = Resolve(new EmailConfig { To = "ops@example.com" }, Global);

        Assert.Equal("smtp.example.com", settings.Host);
        Assert.Equal(587, settings.Port);
        Assert.Equal("alertmanager@example.com", settings.From.Address);
        Assert.Equal("relay.example.com", settings.Hello);
        Assert.Equal("global-user", settings.AuthUsername);
        Assert.Equal("global-secret", settings.AuthPassword);
        Assert.False(settings.RequireTls);
    }

    [Fact]
    public void TryResolve_PrefersTheEmailConfig_WhenBothSetAValue()
    {
        var config = new EmailConfig
        {
            To = "ops@example.com",
            From = "team@example.com",
            Smarthost = "mail.team.example.com:25",
            AuthUsername = "team-user",
            AuthPasswordFile = "/run/secrets/smtp",
            RequireTls = true,
        };

        var settings = Resolve(config, Global);

        Assert.Equal("mail.team.example.com", settings.Host);
        Assert.Equal("team@example.com", settings.From.Address);
        Assert.Equal("team-user", settings.AuthUsername);
        Assert.True(settings.RequireTls);

        // Alertmanager takes the global password only when the email_config sets neither password nor file.
        Assert.Null(settings.AuthPassword);
        Assert.Equal("/run/secrets/smtp", settings.AuthPasswordFile);
    }

    [Fact]
    public void TryResolve_UsesAlertmanagerDefaults_WhenNeitherSetsTlsOrHello()
    {
        var settings = Resolve(new EmailConfig { To = "ops@example.com", From = "a@example.com", Smarthost = "localhost:25" }, EmailSamples.NoGlobal);

        Assert.True(settings.RequireTls);
        Assert.Equal("localhost", settings.Hello);
        Assert.Equal("", settings.AuthUsername);
    }

    public static TheoryData<string, EmailConfig, IReadOnlyDictionary<string, object?>, string> Invalid => new()
    {
        { "no smarthost", new EmailConfig { To = "ops@example.com", From = "a@example.com" }, EmailSamples.NoGlobal, "no smarthost" },
        { "no from", new EmailConfig { To = "ops@example.com", Smarthost = "localhost:25" }, EmailSamples.NoGlobal, "no from address" },
        { "empty to", new EmailConfig { To = " ", From = "a@example.com", Smarthost = "localhost:25" }, EmailSamples.NoGlobal, "no to address" },
        { "bad to", new EmailConfig { To = "not an address", From = "a@example.com", Smarthost = "localhost:25" }, EmailSamples.NoGlobal, "to \"not an address\"" },
        { "bad from", new EmailConfig { To = "ops@example.com", From = "nobody", Smarthost = "localhost:25" }, EmailSamples.NoGlobal, "from \"nobody\"" },
        { "no port", new EmailConfig { To = "ops@example.com", From = "a@example.com", Smarthost = "localhost" }, EmailSamples.NoGlobal, "expected host:port" },
        {
            "bad header name",
            new EmailConfig { To = "ops@example.com", From = "a@example.com", Smarthost = "localhost:25", Headers = new Dictionary<string, string> { ["X Team"] = "a" } },
            EmailSamples.NoGlobal,
            "\"X Team\" is not a valid header name"
        },
        {
            "bad global require_tls",
            new EmailConfig { To = "ops@example.com", From = "a@example.com", Smarthost = "localhost:25" },
            new Dictionary<string, object?> { ["smtp_require_tls"] = "maybe" },
            "smtp_require_tls"
        },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void TryResolve_FailsWithAReason_WhenAFieldIsMissingOrInvalid(
        string name, EmailConfig config, IReadOnlyDictionary<string, object?> global, string expected)
    {
        _ = name;
        Assert.False(EmailSettings.TryResolve(config, global, out var settings, out var error));
        Assert.Null(settings);
        Assert.Contains(expected, error);
    }

    [Theory]
    [InlineData("smtp.example.com:25", "smtp.example.com", 25)]
    [InlineData("127.0.0.1:2525", "127.0.0.1", 2525)]
    [InlineData("[::1]:465", "::1", 465)]
    public void TrySplitHostPort_Splits_WhenHostAndPortArePresent(string smarthost, string host, int port)
    {
        Assert.True(EmailSettings.TrySplitHostPort(smarthost, out var actualHost, out var actualPort));
        Assert.Equal(host, actualHost);
        Assert.Equal(port, actualPort);
    }

    [Theory]
    [InlineData("smtp.example.com")]
    [InlineData(":25")]
    [InlineData("smtp.example.com:")]
    [InlineData("smtp.example.com:0")]
    [InlineData("smtp.example.com:70000")]
    [InlineData("::1:25")]
    public void TrySplitHostPort_Fails_WhenTheValueIsNotHostColonPort(string smarthost)
    {
        Assert.False(EmailSettings.TrySplitHostPort(smarthost, out _, out _));
    }
}

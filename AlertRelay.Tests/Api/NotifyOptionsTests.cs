using AlertRelay.Core.Notify;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AlertRelay.Tests.Api;

/// <summary>The outbox settings (<c>AlertRelay:Notify</c>) as the host binds and checks them at start-up.</summary>
public sealed class NotifyOptionsTests
{
    [Fact]
    public void SmtpTimeoutSeconds_IsBound_WhenSetInConfiguration()
    {
        using var app = new AlertRelayApp(new() { ["AlertRelay:Notify:SmtpTimeoutSeconds"] = "7.5" });

        Assert.Equal(7.5, app.Services.GetRequiredService<IOptions<NotifyOptions>>().Value.SmtpTimeoutSeconds);
    }

    public static TheoryData<string, string, string> OutOfRange => new()
    {
        { "no SMTP time at all", "SmtpTimeoutSeconds", "0" },
        { "an SMTP timeout over five minutes", "SmtpTimeoutSeconds", "301" },
        { "a negative Slack timeout", "SlackTimeoutSeconds", "-1" },
        { "no PagerDuty time at all", "PagerDutyTimeoutSeconds", "0" },
        { "a Teams timeout over five minutes", "MsTeamsV2TimeoutSeconds", "301" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Start_FailsNamingTheSetting_WhenATimeoutIsOutOfRange(string name, string setting, string value)
    {
        using var app = new AlertRelayApp(new() { [$"AlertRelay:Notify:{setting}"] = value });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => app.Services);

        Assert.True(error.Message.Contains($"AlertRelay:Notify:{setting} must be more than 0 and at most 300, not {value}", StringComparison.Ordinal), $"{name}: {error.Message}");
    }
}

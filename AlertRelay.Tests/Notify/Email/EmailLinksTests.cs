using System.Text;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Escalation;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using AlertRelay.Core.Oncall;
using MimeKit;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

public sealed class EmailLinksTests
{
    private static readonly AlertLinks Links = new(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"), "https://relay.example.com", TimeSpan.FromHours(24));

    private static MimeMessage Build(NotificationMessage message, IAlertLinks links, EmailConfig? config = null)
    {
        Assert.True(EmailSettings.TryResolve(config ?? Config("smtp.example.com:25"), NoGlobal, out var settings, out var error), error);
        return EmailMessageBuilder.Build(message, settings!, Now, EmailLinks.For(message, links, Now));
    }

    public static TheoryData<string, NotificationMessage, IAlertLinks, bool> Cases => new()
    {
        { "firing, links on", Firing(), Links, true },
        { "escalation, links on", EmailSamples.Escalation(null), Links, true },
        { "firing, links off", Firing(), NoAlertLinks.Instance, false },
        { "resolved", Resolved(null), Links, false },
        { "digest of one firing", Digest(1), Links, false },
        { "digest", Digest(3), Links, false },
        { "firing, already acknowledged", Firing(Alert() with { Acknowledgement = new Acknowledgement("alice", null, Now, null) }), Links, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Build_CarriesAcknowledgeAndSilenceLinks_OnlyInFiringMailsOfOneAlert(string name, NotificationMessage message, IAlertLinks links, bool expected)
    {
        Assert.True(name.Length > 0);
        var mime = Build(message, links);

        Assert.Equal(expected, mime.TextBody!.Contains("Acknowledge: https://relay.example.com/alerts/7?action=acknowledge&exp="));
        Assert.Equal(expected, mime.TextBody!.Contains("Silence 1h: https://relay.example.com/alerts/7?action=silence-1h&exp="));
        Assert.Equal(expected, mime.TextBody!.Contains("Open in AlertRelay: https://relay.example.com/alerts/7?action=view&exp="));
        Assert.Equal(expected, mime.HtmlBody!.Contains(">Acknowledge</a>"));
        Assert.Equal(expected, mime.HtmlBody!.Contains(">Silence 1h</a>"));
        Assert.Equal(expected, mime.HtmlBody!.Contains(">Open in AlertRelay</a>"));
        Assert.DoesNotContain("relay.example.com/alerts", expected ? "" : mime.TextBody + mime.HtmlBody);
    }

    [Fact]
    public void Build_EscapesTheLinksInHtml_AndTheyVerify()
    {
        var mime = Build(Firing(), Links);

        var href = System.Text.RegularExpressions.Regex.Match(mime.HtmlBody!, "href=\"(https://relay.example.com/alerts/7\\?action=acknowledge[^\"]*)\"").Groups[1].Value;
        Assert.Contains("&amp;exp=", href);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(System.Net.WebUtility.HtmlDecode(href)).Query);
        Assert.Equal(LinkVerdict.Valid, Links.Verify(7, query["action"], query["exp"], query["sig"], Now));
    }

    [Fact]
    public void Build_LeavesACustomTemplateAsWritten_WhenLinksAreOn()
    {
        var config = Config("smtp.example.com:25") with { Text = "custom {{ alertname }}" };

        var mime = Build(Firing(), Links, config);

        Assert.Equal("custom HighErrorRate", mime.TextBody);
        Assert.Contains(">Acknowledge</a>", mime.HtmlBody);
    }
}

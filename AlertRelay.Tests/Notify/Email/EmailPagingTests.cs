using AlertRelay.Core.Notify.Email;
using AlertRelay.Core.Schedules;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

public sealed class EmailPagingTests
{
    [Fact]
    public void Build_NamesWhoIsOnCall_InTextAndHtml_WhenTheMailPages()
    {
        Assert.True(EmailSettings.TryResolve(Config("smtp.example.com:25"), NoGlobal, out var settings, out var error), error);

        var mime = EmailMessageBuilder.Build(Firing() with { Paged = new OncallPage("primary", "alice") }, settings!, Now);

        Assert.Contains("On call (primary): alice\n", mime.TextBody);
        Assert.Contains(">On call (primary): alice</p>", mime.HtmlBody);
    }

    [Fact]
    public void Build_NamesNobody_WhenTheMailDoesNotPage()
    {
        Assert.True(EmailSettings.TryResolve(Config("smtp.example.com:25"), NoGlobal, out var settings, out var error), error);

        var mime = EmailMessageBuilder.Build(Firing(), settings!, Now);

        Assert.DoesNotContain("On call (", mime.TextBody);
        Assert.DoesNotContain("On call (", mime.HtmlBody);
    }
}

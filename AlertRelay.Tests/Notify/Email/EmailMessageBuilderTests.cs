using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Email;
using MimeKit;
using static AlertRelay.Tests.Notify.Email.EmailSamples;

namespace AlertRelay.Tests.Notify.Email;

public sealed class EmailMessageBuilderTests
{
    private static EmailSettings Settings(EmailConfig? config = null)
    {
        Assert.True(EmailSettings.TryResolve(config ?? Config("smtp.example.com:25"), NoGlobal, out var settings, out var error), error);
        return settings!;
    }

    private static MimeMessage Build(NotificationMessage message, EmailConfig? config = null) =>
        EmailMessageBuilder.Build(message, Settings(config), Now);

    private static string Header(MimeMessage mime, string name) => mime.Headers[name] ?? "";

    [Fact]
    public void Build_IsMultipartAlternativeWithTextAndHtml_WhenNoTemplatesAreSet()
    {
        var mime = Build(Firing());

        var alternative = Assert.IsType<MultipartAlternative>(mime.Body);
        Assert.Collection(
            alternative,
            part => Assert.Equal("text/plain", part.ContentType.MimeType),
            part => Assert.Equal("text/html", part.ContentType.MimeType));
        Assert.Contains("Error rate above 5% on web-1", mime.TextBody);
        Assert.Contains("Error rate above 5% on web-1", mime.HtmlBody);
    }

    [Fact]
    public void Build_SetsFromToAndDate_WhenToIsACommaSeparatedList()
    {
        var mime = Build(Firing(), Config("smtp.example.com:25", to: "oncall@example.com, Team Lead <lead@example.com>"));

        Assert.Equal("alertrelay@relay.example.com", Assert.Single(mime.From.Mailboxes).Address);
        Assert.Equal(["oncall@example.com", "lead@example.com"], mime.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(Now, mime.Date);
    }

    public static TheoryData<string, NotificationMessage, string> Subjects => new()
    {
        { "firing", Firing(), "[FIRING:1] HighErrorRate critical" },
        { "resolved, first mail of its thread", Resolved(previousMessageId: null), "[RESOLVED] HighErrorRate critical" },
        { "resolved, follows the firing mail", Resolved("<alertrelay.41.x@relay.example.com>"), "Re: [RESOLVED] HighErrorRate critical" },
        { "escalated, follows the firing mail", EmailSamples.Escalation("<alertrelay.41.x@relay.example.com>"), "Re: [ESCALATED] HighErrorRate critical" },
        { "digest", Digest(37), "[FIRING:37] 37 alerts for receiver team-email" },
        { "digest, some resolved", Digest(30, 7), "[FIRING:30, RESOLVED:7] 37 alerts for receiver team-email" },
        { "digest, all resolved", Digest(0, 3), "[RESOLVED] 3 alerts for receiver team-email" },
        { "digest of one", Digest(1), "[FIRING:1] 1 alert for receiver team-email" },
        {
            "no severity label",
            Firing(Alert(labels: LabelSet.From(("alertname", "Watchdog")))),
            "[FIRING:1] Watchdog"
        },
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public void Build_UsesAlertmanagerSubject_WhenNoSubjectHeaderIsSet(string name, NotificationMessage message, string expected)
    {
        _ = name;
        Assert.Equal(expected, Build(message).Subject);
    }

    [Fact]
    public void Build_KeepsTheThreadTopic_WhenTheAlertResolves()
    {
        var firing = Build(Firing());
        var resolved = Build(Resolved("<alertrelay.41.x@relay.example.com>"));

        Assert.Equal("HighErrorRate critical", Header(firing, "Thread-Topic"));
        Assert.Equal(Header(firing, "Thread-Topic"), Header(resolved, "Thread-Topic"));
    }

    [Fact]
    public void Build_SetsAStableMessageId_WhenBuiltTwiceForOneNotification()
    {
        var message = Firing();

        var first = Build(message);
        var again = Build(message);

        var expected = $"<alertrelay.41.{message.Alerts[0].Fingerprint}@relay.example.com>";
        Assert.Equal(expected, Header(first, "Message-ID"));
        Assert.Equal(expected, Header(again, "Message-ID"));
        Assert.Equal(expected, EmailMessageBuilder.MessageId(message, MailboxAddress.Parse("alertrelay@relay.example.com")));
    }

    [Fact]
    public void Build_UsesDigestInTheMessageId_WhenTheMessageIsADigest()
    {
        Assert.Equal("<alertrelay.44.digest@relay.example.com>", Header(Build(Digest(3)), "Message-ID"));
    }

    [Fact]
    public void Build_ThreadsUnderTheFiringMail_WhenTheAlertResolves()
    {
        var firingId = Header(Build(Firing()), "Message-ID");

        var resolved = Build(Resolved(firingId));

        Assert.Equal(firingId, Header(resolved, "In-Reply-To"));
        Assert.Equal(firingId, Header(resolved, "References"));
        Assert.NotEqual(firingId, Header(resolved, "Message-ID"));
    }

    [Fact]
    public void Build_ThreadsUnderThePreviousMail_WhenEscalating()
    {
        var escalated = Build(EmailSamples.Escalation("<alertrelay.41.abc@relay.example.com>"));

        Assert.Equal("<alertrelay.41.abc@relay.example.com>", Header(escalated, "In-Reply-To"));
        Assert.Equal("<alertrelay.41.abc@relay.example.com>", Header(escalated, "References"));
        Assert.Contains("critical-unacknowledged step 1", escalated.TextBody);
    }

    [Fact]
    public void Build_HasNoThreadingHeaders_WhenThereIsNoPreviousMail()
    {
        var mime = Build(Resolved(previousMessageId: null));

        Assert.False(mime.Headers.Contains("In-Reply-To"));
        Assert.False(mime.Headers.Contains("References"));
    }

    [Fact]
    public void Build_EscapesLabelsAndAnnotationsInHtml_WhenTheyContainMarkup()
    {
        var alert = Alert(
            labels: LabelSet.From(("alertname", "Evil<b>"), ("severity", "critical"), ("path", "<script>alert(1)</script>")),
            annotations: LabelSet.From(("summary", "a & b \"quoted\""), ("runbook_url", "javascript:alert(1)")));

        var html = Build(Firing(alert)).HtmlBody;

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("Evil&lt;b&gt;", html);
        Assert.Contains("a &amp; b &quot;quoted&quot;", html);
        Assert.DoesNotContain("href=\"javascript:", html);
        Assert.Contains("Runbook: javascript:alert(1)", html);
    }

    [Fact]
    public void Build_ShowsSummaryLabelsTimesAndLinks_WhenFiring()
    {
        var mime = Build(Firing());

        foreach (var body in new[] { mime.TextBody, mime.HtmlBody })
        {
            Assert.Contains("5xx responses are 7.2% of all requests over 5m.", body);
            Assert.Contains("web-1:9090", body);
            Assert.Contains("shop-api", body);
            Assert.Contains("2026-11-25 13:00:00 UTC", body);
            Assert.Contains("https://runbooks.example.com/HighErrorRate", body);
            Assert.Contains("https://grafana.example.com/d/shop/overview", body);
            Assert.Contains("http://alertmanager.example.com/#/alerts?receiver=team-email", body);
        }

        Assert.Contains("<a href=\"http://prometheus.example.com/graph?g0.expr=rate%28http_errors_total%5B5m%5D%29\"", mime.HtmlBody);
        Assert.Contains("<a href=\"https://runbooks.example.com/HighErrorRate\"", mime.HtmlBody);
    }

    [Fact]
    public void Build_ShowsEndAndDuration_WhenResolved()
    {
        var mime = Build(Resolved(previousMessageId: null));

        Assert.Contains("Ended: 2026-11-25 13:12:00 UTC (lasted 12m)", mime.TextBody);
        Assert.Contains("ended 2026-11-25 13:12:00 UTC (lasted 12m)", mime.HtmlBody);
    }

    [Fact]
    public void Build_ListsEveryAlert_WhenTheMessageIsADigest()
    {
        var mime = Build(Digest(30, 7));

        Assert.Contains("37 alerts for receiver team-email: 30 firing, 7 resolved.", mime.TextBody);
        Assert.Contains("37 alerts for receiver team-email: 30 firing, 7 resolved.", mime.HtmlBody);
        for (var i = 0; i < 37; i++)
        {
            Assert.Contains($"web-{i} is down", mime.TextBody);
        }

        Assert.Equal(30, CountOf(mime.TextBody!, "[FIRING] InstanceDown"));
        Assert.Equal(7, CountOf(mime.TextBody!, "[RESOLVED] InstanceDown"));
    }

    [Fact]
    public void Build_CountsTheRest_WhenADigestHasMoreAlertsThanTheBodyShows()
    {
        var mime = Build(Digest(130));

        Assert.Contains("web-99 is down", mime.TextBody);
        Assert.DoesNotContain("web-100 is down", mime.TextBody);
        Assert.Contains("... and 30 more.", mime.TextBody);
    }

    [Fact]
    public void Build_AddsCustomHeadersExceptOwnedOnes_WhenHeadersAreConfigured()
    {
        var config = Config("smtp.example.com:25") with
        {
            Headers = new Dictionary<string, string>
            {
                ["X-Team"] = "payments",
                ["X-Alert"] = "{{ alertname }} on {{ labels.instance }}",
                ["Reply-To"] = "payments@example.com",
                ["message-id"] = "<forged@example.com>",
                ["In-Reply-To"] = "<forged@example.com>",
                ["To"] = "someone-else@example.com",
            },
        };

        var mime = Build(Firing(), config);

        Assert.Equal("payments", Header(mime, "X-Team"));
        Assert.Equal("HighErrorRate on web-1:9090", Header(mime, "X-Alert"));
        Assert.Equal("payments@example.com", Header(mime, "Reply-To"));
        Assert.StartsWith("<alertrelay.41.", Header(mime, "Message-ID"));
        Assert.False(mime.Headers.Contains("In-Reply-To"));
        Assert.Equal("oncall@example.com", Assert.Single(mime.To.Mailboxes).Address);
    }

    [Fact]
    public void Build_KeepsHeadersOnOneLine_WhenATemplatedValueContainsNewlines()
    {
        var alert = Alert(labels: LabelSet.From(("alertname", "X"), ("instance", "a\r\nBcc: victim@example.com")));
        var config = Config("smtp.example.com:25") with
        {
            Headers = new Dictionary<string, string> { ["X-Instance"] = "{{ labels.instance }}", ["Subject"] = "down: {{ labels.instance }}" },
        };

        var mime = Build(Firing(alert), config);

        Assert.Equal("a Bcc: victim@example.com", Header(mime, "X-Instance"));
        Assert.Equal("down: a Bcc: victim@example.com", mime.Subject);
        Assert.False(mime.Headers.Contains("Bcc"));
    }

    [Fact]
    public void Build_RendersTheSubjectTemplate_WhenTheSubjectHeaderIsSet()
    {
        var config = Config("smtp.example.com:25") with
        {
            Headers = new Dictionary<string, string> { ["subject"] = "[{{ status | upcase }}] {{ alertname }} on {{ labels.instance }}" },
        };

        Assert.Equal("[FIRING] HighErrorRate on web-1:9090", Build(Firing(), config).Subject);
        Assert.Equal("Re: [RESOLVED] HighErrorRate on web-1:9090", Build(Resolved("<a@b>"), config).Subject);
    }

    [Fact]
    public void Build_RendersBodyTemplatesEscapingHtml_WhenHtmlAndTextAreSet()
    {
        var alert = Alert(labels: LabelSet.From(("alertname", "HighErrorRate"), ("path", "<script>x</script>")));
        var config = Config("smtp.example.com:25") with
        {
            Html = "<h1>{{ alertname }}</h1><p>{{ labels.path }}</p>",
            Text = "{{ alertname }}: {{ labels.path }}",
        };

        var mime = Build(Firing(alert), config);

        Assert.Equal("<h1>HighErrorRate</h1><p>&lt;script&gt;x&lt;/script&gt;</p>", mime.HtmlBody);
        Assert.Equal("HighErrorRate: <script>x</script>", mime.TextBody);
        Assert.IsType<MultipartAlternative>(mime.Body);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}

using System.Text;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Teams;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.Teams;

/// <summary>The Adaptive Card a Teams Workflows webhook receives, field for field, and when nothing is sent.</summary>
public sealed class TeamsCardTests
{
    private static readonly MsTeamsV2Config Config = new() { WebhookUrl = "https://teams.example.com/workflows/x?sig=s" };

    [Fact]
    public void ToJsonUtf8_WritesAlertmanagersCardFieldForField()
    {
        var card = TeamsCard.For(Message(NotificationKind.Firing, Alert(1)), Config with { Title = "{{ status | upcase }}: {{ alertname }}", Text = "{{ annotations.summary }} & <more>" })!;

        Assert.Equal(
            """{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"""
            + "\"$schema\":\"http://adaptivecards.io/schemas/adaptive-card.json\",\"type\":\"AdaptiveCard\",\"version\":\"1.2\",\"body\":["
            + """{"type":"TextBlock","text":"FIRING: HighErrorRate","weight":"Bolder","size":"Medium","wrap":true,"style":"heading","color":"Attention"},"""
            + """{"type":"TextBlock","text":"Error rate is high & <more>","wrap":true}],"msteams":{"width":"full"}}}]}""",
            Encoding.UTF8.GetString(card.ToJsonUtf8()));
    }

    [Fact]
    public void For_UsesAlertRelaysTitleAndAlertmanagersAlertList_WhenNoTemplatesAreSet()
    {
        var card = TeamsCard.For(Message(NotificationKind.Firing, Alert(1)), Config)!;

        Assert.Equal("[FIRING:1] HighErrorRate critical", card.Title);
        Assert.Equal(
            "**Alerts Firing:**\n\n- **HighErrorRate** Error rate is high (since 2026-11-24 22:32:31 UTC)\n"
            + "  Labels: alertname = HighErrorRate, instance = web-1:8080, severity = critical\n"
            + "  [Source](http://prometheus:9090/graph?g0.expr=up) · [Runbook](https://runbooks.example.com/1)",
            card.Text);
    }

    [Fact]
    public void For_SendsANewGreenCard_WhenTheAlertResolves()
    {
        var card = TeamsCard.For(Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)), Config)!;

        Assert.Equal((TeamsCard.Resolved, "[RESOLVED] HighErrorRate critical"), (card.Color, card.Title));
        Assert.StartsWith("**Alerts Resolved:**", card.Text, StringComparison.Ordinal);
        Assert.Contains("lasted 11m59s", card.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_TagsTheTitle_WhenAnEscalationIsSent()
    {
        Assert.Equal("[ESCALATED] HighErrorRate critical", TeamsCard.For(Message(NotificationKind.Escalation, Alert(1)), Config)!.Title);
    }

    [Fact]
    public void For_SendsNothing_WhenAResolveComesAndSendResolvedIsFalse()
    {
        Assert.Null(TeamsCard.For(Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)), Config with { SendResolved = false }));
    }

    [Fact]
    public void For_SendsNothing_WhenAnOnCallUpdateComes()
    {
        Assert.Null(TeamsCard.For(Message(NotificationKind.Update, Alert(1)) with { EscalationStep = Integrations.AcknowledgedUpdate }, Config));
    }

    [Fact]
    public void For_ListsTwentyAlertsAndCountsTheRest_WhenADigestIsLarge()
    {
        var alerts = Enumerable.Range(1, 25).Select(i => Alert(i)).ToArray();
        var digest = Message(NotificationKind.Digest, alerts) with { EscalationStep = Outbox.DigestDetail(25, NotificationKind.Firing) };

        var card = TeamsCard.For(digest, Config)!;

        Assert.Equal(TeamsCard.MaxListedAlerts, card.Text.Split('\n').Count(l => l.StartsWith("- **", StringComparison.Ordinal)));
        Assert.EndsWith("- … and 5 more", card.Text, StringComparison.Ordinal);
        Assert.Equal("[FIRING:25] HighErrorRate critical (25 alerts)", card.Title);
    }

    [Fact]
    public void For_LeavesOutAlertsResolvedMeanwhile_WhenAFiringDigestIsSent()
    {
        var digest = Message(NotificationKind.Digest, Alert(1), Alert(2, AlertStatus.Resolved)) with { EscalationStep = Outbox.DigestDetail(2, NotificationKind.Firing) };

        var card = TeamsCard.For(digest, Config)!;

        Assert.Equal((TeamsCard.Firing, "[FIRING:1] HighErrorRate critical"), (card.Color, card.Title));
        Assert.DoesNotContain("web-2", card.Text, StringComparison.Ordinal);
    }
}

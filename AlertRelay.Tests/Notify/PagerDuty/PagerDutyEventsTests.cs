using System.Text;
using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.PagerDuty;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.PagerDuty;

/// <summary>What each notification means for PagerDuty: which events, with which dedup_key, field for field.</summary>
public sealed class PagerDutyEventsTests
{
    private const string RoutingKey = "R0UT1NGK3Y0123456789abcdef012345";

    private static readonly PagerDutyConfig Config = new() { RoutingKey = RoutingKey };

    private static JsonObject Body(PagerDutyEvent e) => (JsonObject)JsonNode.Parse(e.ToJsonUtf8(RoutingKey))!;

    [Fact]
    public void ToJsonUtf8_WritesAlertmanagersTriggerFieldForField_WhenEveryFieldIsConfigured()
    {
        var config = Config with
        {
            Client = "AlertRelay {{ receiver }}",
            ClientUrl = "{{ external_url }}/#/alerts",
            Description = "{{ alertname }} on {{ labels.instance }}",
            Severity = "{{ severity }}",
            Source = "{{ labels.instance }}",
            Class = "errors",
            Component = "checkout",
            Group = "web",
            Details = new Dictionary<string, string> { ["runbook"] = "{{ annotations.runbook }}", ["labels"] = "{\"team\":\"payments\"}" },
            Images = [new PagerDutyImage("https://img.example.com/{{ alertname }}.png", "graph", ""), new PagerDutyImage("{{ labels.none }}", "dropped", null)],
            Links = [new PagerDutyLink("https://runbooks.example.com/{{ alertname }}", "Runbook")],
        };

        var trigger = Assert.Single(PagerDutyEvents.For(Message(NotificationKind.Firing, Alert(1)), config));

        var key = PagerDutyDedupKey.Of(Alert(1));
        Assert.Equal(
            "{\"routing_key\":\"" + RoutingKey + "\",\"dedup_key\":\"" + key + "\",\"event_action\":\"trigger\",\"payload\":{"
            + "\"summary\":\"HighErrorRate on web-1:8080\",\"source\":\"web-1:8080\",\"severity\":\"critical\",\"timestamp\":\"2026-11-24T22:32:31.253Z\","
            + "\"class\":\"errors\",\"component\":\"checkout\",\"group\":\"web\",\"custom_details\":{\"firing\":[{\"status\":\"firing\","
            + "\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"web-1:8080\",\"severity\":\"critical\"},"
            + "\"annotations\":{\"runbook\":\"https://runbooks.example.com/1\",\"summary\":\"Error rate is high\"},"
            + "\"startsAt\":\"2026-11-24T22:32:31.253Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\","
            + "\"fingerprint\":\"" + Alert(1).Fingerprint + "\"}],\"num_firing\":1,\"num_resolved\":0,\"resolved\":[],"
            + "\"runbook\":\"https://runbooks.example.com/1\",\"labels\":{\"team\":\"payments\"}}},"
            + "\"client\":\"AlertRelay oncall\",\"client_url\":\"http://alertmanager:9093/#/alerts\","
            + "\"images\":[{\"src\":\"https://img.example.com/HighErrorRate.png\",\"alt\":\"graph\"}],"
            + "\"links\":[{\"href\":\"https://runbooks.example.com/HighErrorRate\",\"text\":\"Runbook\"}]}",
            Encoding.UTF8.GetString(trigger.ToJsonUtf8(RoutingKey)));
        Assert.DoesNotContain(RoutingKey, trigger.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_TriggersWithAlertRelaysDefaults_WhenOnlyTheRoutingKeyIsSet()
    {
        var body = Body(Assert.Single(PagerDutyEvents.For(Message(NotificationKind.Firing, Alert(1)), Config)));

        var payload = body["payload"]!;
        Assert.Equal(("[FIRING:1] HighErrorRate critical", "AlertRelay", "error"),
            (payload["summary"]!.GetValue<string>(), payload["source"]!.GetValue<string>(), payload["severity"]!.GetValue<string>()));
        Assert.Equal(("AlertRelay", "http://alertmanager:9093"), (body["client"]!.GetValue<string>(), body["client_url"]!.GetValue<string>()));
        Assert.Null(payload["class"]);
        Assert.Null(body["images"]);
    }

    [Fact]
    public void DedupKey_IsTheSameForTheOccurrence_WhateverNotifiesIt_AndDiffersForANewOccurrence()
    {
        var again = Alert(1) with { Id = 999 }; // the same occurrence as another replica or a restarted process reads it
        var keys = new[] { NotificationKind.Firing, NotificationKind.Escalation, NotificationKind.Reminder }
            .Select(kind => Assert.Single(PagerDutyEvents.For(Message(kind, again), Config)).DedupKey).ToList();

        Assert.All(keys, key => Assert.Equal(PagerDutyDedupKey.Of(Alert(1)), key));
        Assert.Equal($"alertrelay-{Alert(1).Fingerprint}-{UnixMillis.From(Alert(1).StartsAt)}", keys[0]);
        Assert.NotEqual(keys[0], PagerDutyDedupKey.Of(Alert(1) with { StartsAt = Alert(1).StartsAt.AddHours(1) }));
        Assert.NotEqual(keys[0], PagerDutyDedupKey.Of(Alert(2)));
    }

    [Fact]
    public void For_ResolvesTheTriggeredKey_WhenTheOccurrenceResolves()
    {
        var resolved = Alert(1, AlertStatus.Resolved);

        var resolve = Assert.Single(PagerDutyEvents.For(Message(NotificationKind.Resolved, resolved), Config));

        Assert.Equal((PagerDutyEvent.Resolve, PagerDutyDedupKey.Of(Alert(1))), (resolve.Action, resolve.DedupKey));
        Assert.Equal($$"""{"routing_key":"{{RoutingKey}}","dedup_key":"{{resolve.DedupKey}}","event_action":"resolve"}""", Encoding.UTF8.GetString(resolve.ToJsonUtf8(RoutingKey)));
    }

    [Fact]
    public void For_SendsNothing_WhenAResolveComesAndSendResolvedIsFalse()
    {
        Assert.Empty(PagerDutyEvents.For(Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)), Config with { SendResolved = false }));
    }

    [Fact]
    public void For_AcknowledgesTheKeyOfTheTriggerItFollows_WhenTheOccurrenceIsAcknowledgedInAlertRelay()
    {
        var update = Message(NotificationKind.Update, Alert(1)) with { EscalationStep = Integrations.AcknowledgedUpdate };

        var acknowledge = Assert.Single(PagerDutyEvents.For(update, Config));
        var following = Assert.Single(PagerDutyEvents.For(update with { Previous = new DeliveryRef(PagerDutyDedupKey: "as-triggered") }, Config));

        Assert.Equal((PagerDutyEvent.Acknowledge, PagerDutyDedupKey.Of(Alert(1))), (acknowledge.Action, acknowledge.DedupKey));
        Assert.Equal("as-triggered", following.DedupKey);
        Assert.Null(Body(acknowledge)["payload"]);
    }

    [Theory]
    [InlineData("unacknowledged")]
    [InlineData("silenced")]
    [InlineData("unsilenced")]
    public void For_SendsNothing_WhenAnUpdateIsNotAnAcknowledgement(string detail)
    {
        Assert.Empty(PagerDutyEvents.For(Message(NotificationKind.Update, Alert(1)) with { EscalationStep = detail }, Config));
    }

    [Fact]
    public void For_TriggersOneAlertForAStorm_WhenADigestOfFiringAlertsIsSent()
    {
        var alerts = Enumerable.Range(1, 12).Select(i => Alert(i)).ToArray();
        var digest = Message(NotificationKind.Digest, alerts) with { EscalationStep = Outbox.DigestDetail(12, NotificationKind.Firing) };

        var trigger = Assert.Single(PagerDutyEvents.For(digest, Config));

        Assert.Equal(PagerDutyDedupKey.OfDigest(alerts.Reverse()), trigger.DedupKey);
        Assert.StartsWith("alertrelay-digest-", trigger.DedupKey, StringComparison.Ordinal);
        Assert.Equal("[FIRING:12] HighErrorRate critical (12 alerts)", trigger.Summary);
        Assert.Equal(12, Body(trigger)["payload"]!["custom_details"]!["num_firing"]!.GetValue<int>());
        Assert.Null(trigger.Timestamp);
    }

    [Fact]
    public void For_ResolvesTheStormsAlert_OnlyWhenEveryAlertItAnnouncedIsResolved()
    {
        var announced = new[] { Alert(1, AlertStatus.Resolved), Alert(2) };
        var digestKey = PagerDutyDedupKey.OfDigest(announced);
        Announcement Digest(params NotifiedOccurrence[] now) =>
            new(5, NotificationKind.Digest, new DeliveryRef(PagerDutyDedupKey: digestKey), now, [now[0]]);

        var first = Message(NotificationKind.Resolved, announced[0]) with { Announcements = [Digest(announced)] };
        var last = Message(NotificationKind.Resolved, Alert(2, AlertStatus.Resolved)) with
        {
            Announcements = [Digest(Alert(2, AlertStatus.Resolved), Alert(1, AlertStatus.Resolved))],
        };

        Assert.Empty(PagerDutyEvents.For(first, Config));
        Assert.Equal([(PagerDutyEvent.Resolve, digestKey)], PagerDutyEvents.For(last, Config).Select(e => (e.Action, e.DedupKey)));
    }

    [Theory]
    [InlineData("critical", "critical")]
    [InlineData("WARNING", "warning")]
    [InlineData(" info ", "info")]
    [InlineData("page", "error")]
    [InlineData("", "error")]
    public void Severity_IsOnePagerDutyAccepts_WhateverTheTemplateRenders(string rendered, string sent)
    {
        Assert.Equal(sent, PagerDutyEvents.Severity(rendered));
    }

    [Fact]
    public void ToJsonUtf8_DropsTheCustomDetails_WhenTheEventWouldBeTooLargeForPagerDuty()
    {
        var big = Config with { Details = new Dictionary<string, string> { ["huge"] = new string('x', 600_000) } };

        var body = Assert.Single(PagerDutyEvents.For(Message(NotificationKind.Firing, Alert(1)), big)).ToJsonUtf8(RoutingKey);

        Assert.True(body.Length < PagerDutyEvent.MaxEventBytes);
        Assert.StartsWith("Custom details have been removed", JsonNode.Parse(body)!["payload"]!["custom_details"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void For_CutsTheSummaryToPagerDutysLimit_WhenTheDescriptionIsLonger()
    {
        var trigger = Assert.Single(PagerDutyEvents.For(Message(NotificationKind.Firing, Alert(1)), Config with { Description = new string('s', 2000) }));

        Assert.Equal(PagerDutyEvents.MaxSummaryLength, trigger.Summary!.Length);
    }
}

using System.Text.Json.Nodes;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Notify.Webhook;
using AlertRelay.Tests.TestData;
using static AlertRelay.Tests.Notify.Webhook.WebhookTestAlerts;

namespace AlertRelay.Tests.Notify.Webhook;

/// <summary>The body a webhook receives: Alertmanager's version 4 message, compared with the bodies a real Alertmanager 0.25 sent.</summary>
public sealed class WebhookPayloadTests
{
    private static string[] Names(JsonNode? node) => [.. ((JsonObject)node!).Select(p => p.Key).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void ToJsonUtf8_HasAlertmanagersMemberNames_AtEachLevel(string fixture)
    {
        var captured = JsonNode.Parse(Fixtures.Text(fixture))!;

        var ours = Json(WebhookPayload.For(FromFixture(fixture), Config())!);

        Assert.Equal(Names(captured), Names(ours));
        Assert.Equal(Names(captured["alerts"]![0]), Names(ours["alerts"]![0]));
        Assert.All(((JsonArray)ours["alerts"]!).Select(Names), names => Assert.Equal(Names(captured["alerts"]![0]), names));
    }

    [Theory]
    [MemberData(nameof(Fixtures.All), MemberType = typeof(Fixtures))]
    public void ToJsonUtf8_SaysWhatAlertmanagerSaid_ButTheGroupingOfAlertRelay(string fixture)
    {
        var captured = JsonNode.Parse(Fixtures.Text(fixture))!;

        var ours = Json(WebhookPayload.For(FromFixture(fixture), Config())!);

        foreach (var name in new[] { "receiver", "status", "commonLabels", "commonAnnotations", "externalURL", "version", "truncatedAlerts" })
        {
            Assert.True(JsonNode.DeepEquals(captured[name], ours[name]), $"{name}: {captured[name]?.ToJsonString()} vs {ours[name]?.ToJsonString()}");
        }

        var capturedAlerts = (JsonArray)captured["alerts"]!;
        var ourAlerts = (JsonArray)ours["alerts"]!;
        Assert.Equal(capturedAlerts.Count, ourAlerts.Count);
        for (var i = 0; i < capturedAlerts.Count; i++)
        {
            foreach (var name in new[] { "status", "labels", "annotations", "generatorURL", "fingerprint" })
            {
                Assert.True(JsonNode.DeepEquals(capturedAlerts[i]![name], ourAlerts[i]![name]), $"alerts[{i}].{name}");
            }

            foreach (var name in new[] { "startsAt", "endsAt" })
            {
                // Go writes nanoseconds; AlertRelay stores milliseconds: the same instant to the millisecond.
                Rfc3339.TryParse(capturedAlerts[i]![name]!.GetValue<string>(), out var expected);
                Rfc3339.TryParse(ourAlerts[i]![name]!.GetValue<string>(), out var actual);
                Assert.True((expected - actual).Duration() < TimeSpan.FromMilliseconds(1), $"alerts[{i}].{name}: {expected:O} vs {actual:O}");
            }
        }
    }

    [Fact]
    public void For_GroupsByEveryLabel_WhenTheNotificationIsAboutOneAlert()
    {
        var payload = WebhookPayload.For(FromFixture(Fixtures.FiringSingle, NotificationKind.Firing), Config())!;

        var alert = Assert.Single(payload.Alerts);
        Assert.Equal(alert.Labels, payload.GroupLabels);
        Assert.Equal("{}:" + alert.Labels, payload.GroupKey);
        Assert.StartsWith("{}:{alertname=\"", payload.GroupKey, StringComparison.Ordinal);
    }

    [Fact]
    public void For_KeepsTheGroupKey_FromFiringToResolve()
    {
        var firing = WebhookPayload.For(Message(NotificationKind.Firing, Alert(1)), Config())!;
        var escalation = WebhookPayload.For(Message(NotificationKind.Escalation, Alert(1)), Config())!;
        var resolved = WebhookPayload.For(Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)), Config())!;

        Assert.Equal(firing.GroupKey, escalation.GroupKey);
        Assert.Equal(firing.GroupKey, resolved.GroupKey);
        Assert.NotEqual(firing.GroupKey, WebhookPayload.For(Message(NotificationKind.Firing, Alert(2)), Config())!.GroupKey);
    }

    [Fact]
    public void For_SendsStatusResolvedWithEndsAt_WhenTheAlertResolved()
    {
        var json = Json(WebhookPayload.For(Message(NotificationKind.Resolved, Alert(1, AlertStatus.Resolved)), Config())!);

        Assert.Equal("resolved", json["status"]!.GetValue<string>());
        Assert.Equal("resolved", json["alerts"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("2026-11-24T22:44:30.253Z", json["alerts"]![0]!["endsAt"]!.GetValue<string>());
        Assert.Equal("2026-11-24T22:32:31.253Z", json["alerts"]![0]!["startsAt"]!.GetValue<string>());
    }

    [Fact]
    public void For_SendsGosZeroTimeAsEndsAt_WhenTheAlertFires()
    {
        var json = Json(WebhookPayload.For(Message(NotificationKind.Firing, Alert(1)), Config())!);

        Assert.Equal("0001-01-01T00:00:00Z", json["alerts"]![0]!["endsAt"]!.GetValue<string>());
        Assert.Equal(Alert(1).Fingerprint.ToString(), json["alerts"]![0]!["fingerprint"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{16}$", json["alerts"]![0]!["fingerprint"]!.GetValue<string>());
    }

    [Fact]
    public void For_PutsEveryAlertOfADigestInOneBody_GroupedByTheirCommonLabels()
    {
        var digest = Message(NotificationKind.Digest, Alert(1), Alert(2), Alert(3), Alert(4, name: "DiskFull")) with { EscalationStep = "4 alerts firing" };

        var payload = WebhookPayload.For(digest, Config())!;

        Assert.Equal([1L, 2, 3, 4], payload.Alerts.Select(a => a.Id));
        Assert.Equal(AlertStatus.Firing, payload.Status);
        Assert.Equal(LabelSet.From(("severity", "critical")), payload.GroupLabels);
        Assert.Equal("{}:{severity=\"critical\"}", payload.GroupKey);
        Assert.Equal(LabelSet.From(("severity", "critical")), payload.CommonLabels);
        Assert.Equal(LabelSet.From(("summary", "Error rate is high")), payload.CommonAnnotations);
    }

    [Fact]
    public void For_SendsEveryAlertOfADigestOfResolves_AsTheyAre()
    {
        var digest = Message(NotificationKind.Digest, Alert(1, AlertStatus.Resolved), Alert(2, AlertStatus.Resolved)) with { EscalationStep = "2 alerts resolved" };

        var payload = WebhookPayload.For(digest, Config())!;

        Assert.Equal([1L, 2], payload.Alerts.Select(a => a.Id));
        Assert.Equal(AlertStatus.Resolved, payload.Status);
    }

    [Theory]
    [InlineData(NotificationKind.Firing)]
    [InlineData(NotificationKind.Escalation)]
    [InlineData(NotificationKind.Reminder)]
    [InlineData(NotificationKind.Digest)]
    public void For_LeavesOutAlertsResolvedSinceTheyWereQueued_WhenTheNotificationAnnouncesFiring(NotificationKind kind)
    {
        var message = Message(kind, Alert(1), Alert(2, AlertStatus.Resolved)) with { EscalationStep = kind == NotificationKind.Digest ? "2 alerts firing" : null };

        var payload = WebhookPayload.For(message, Config())!;
        var onlyResolved = WebhookPayload.For(Message(kind, Alert(2, AlertStatus.Resolved)), Config());

        Assert.Equal([1L], payload.Alerts.Select(a => a.Id)); // its resolve is queued for this webhook and comes after
        Assert.Null(onlyResolved);
    }

    [Fact]
    public void For_KeepsTheFirstMaxAlerts_AndCountsTheRestAsTruncated()
    {
        var digest = Message(NotificationKind.Digest, Alert(1), Alert(2), Alert(3), Alert(4, name: "DiskFull"), Alert(5, name: "DiskFull")) with { EscalationStep = "5 alerts firing" };

        var payload = WebhookPayload.For(digest, Config() with { MaxAlerts = 3 })!;

        Assert.Equal([1L, 2, 3], payload.Alerts.Select(a => a.Id));
        Assert.Equal(2, payload.TruncatedAlerts);
        Assert.Equal("HighErrorRate", payload.CommonLabels.Get("alertname")); // of the alerts sent, as Alertmanager
        Assert.False(payload.GroupLabels.ContainsKey("alertname")); // of every alert: max_alerts does not move the group key
        Assert.Equal(2, Json(payload)["truncatedAlerts"]!.GetValue<int>());
    }

    [Fact]
    public void For_SendsEveryAlert_WhenMaxAlertsIsZero()
    {
        var payload = WebhookPayload.For(Message(NotificationKind.Digest, [.. Enumerable.Range(1, 40).Select(i => Alert(i))]), Config())!;

        Assert.Equal(40, payload.Alerts.Count);
        Assert.Equal(0, payload.TruncatedAlerts);
    }

    [Fact]
    public void For_SendsNothing_WhenTheAlertsResolvedAndSendResolvedIsFalse()
    {
        var config = Config() with { SendResolved = false };

        var resolved = WebhookPayload.For(Message(NotificationKind.Resolved, Alert(2, AlertStatus.Resolved)), config);
        var digest = WebhookPayload.For(Message(NotificationKind.Digest, Alert(1, AlertStatus.Resolved)) with { EscalationStep = "1 alerts resolved" }, config);

        Assert.Null(resolved);
        Assert.Null(digest);
    }

    [Fact]
    public void For_ReturnsNull_WhenTheNotificationIsAnUpdate()
    {
        Assert.Null(WebhookPayload.For(Message(NotificationKind.Update, Alert(1)), Config()));
    }

    [Theory]
    [InlineData("relay", "relay")]
    [InlineData("team.db (prod)", @"team\.db \(prod\)")]
    [InlineData("a+b*c?[d]{e}^f$|g\\", @"a\+b\*c\?\[d\]\{e\}\^f\$\|g\\")]
    public void For_QuotesTheReceiverName_AsAlertmanagersRegexpQuoteMeta(string receiver, string expected)
    {
        var payload = WebhookPayload.For(Message(NotificationKind.Firing, Alert(1)) with { Receiver = receiver }, Config())!;

        Assert.Equal(expected, payload.Receiver);
    }

    public static TheoryData<string, DateTimeOffset, string> Times => new()
    {
        { "whole seconds", new DateTimeOffset(2026, 11, 24, 22, 32, 44, TimeSpan.Zero), "2026-11-24T22:32:44Z" },
        { "milliseconds", new DateTimeOffset(2026, 11, 24, 22, 32, 30, 250, TimeSpan.Zero), "2026-11-24T22:32:30.25Z" },
        { "ticks", new DateTimeOffset(2026, 11, 24, 22, 32, 30, TimeSpan.Zero).AddTicks(2787378), "2026-11-24T22:32:30.2787378Z" },
        { "another offset", new DateTimeOffset(2026, 11, 24, 23, 32, 44, TimeSpan.FromHours(1)), "2026-11-24T22:32:44Z" },
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void Time_WritesRfc3339InUtcWithoutTrailingZeros_AsGo(string name, DateTimeOffset value, string expected)
    {
        Assert.True(expected == GoJson.Time(value), name);
    }
}

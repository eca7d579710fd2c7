using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify;

public sealed class IntegrationsTests
{
    private static readonly RelayConfig Config = RelayConfig.Default with
    {
        Receivers =
        [
            new ReceiverConfig(
                "oncall",
                [new SlackConfig { Channel = "#a", SendResolved = true }, new SlackConfig { Channel = "#b" }],
                [new EmailConfig { To = "a@example.com" }, new EmailConfig { To = "b@example.com", SendResolved = true }],
                [new WebhookConfig(), new WebhookConfig { SendResolved = false }]),
        ],
    };

    [Fact]
    public void Of_ListsSlackThenEmailThenWebhookEntries_WithTheirIndexAndSendResolved()
    {
        Assert.Equal(
            [
                new Integration("oncall", Integrations.Slack, 0, true),
                new Integration("oncall", Integrations.Slack, 1, false),
                new Integration("oncall", Integrations.Email, 0, false),
                new Integration("oncall", Integrations.Email, 1, true),
                new Integration("oncall", Integrations.Webhook, 0, true),
                new Integration("oncall", Integrations.Webhook, 1, false),
            ],
            Integrations.Of(Config.FindReceiver("oncall")));
        Assert.Equal(Integrations.Of(Config.FindReceiver("oncall")).Select(i => i.Target), NotificationTarget.Of(Config.FindReceiver("oncall")));
    }

    public static TheoryData<string, NotificationTarget, bool> Targets => new()
    {
        { "slack entry with send_resolved", new("oncall", Integrations.Slack, 0), true },
        { "slack entry without it", new("oncall", Integrations.Slack, 1), false },
        { "email entry without it", new("oncall", Integrations.Email, 0), false },
        { "email entry with send_resolved", new("oncall", Integrations.Email, 1), true },
        { "an entry gone from the config", new("oncall", Integrations.Slack, 2), false },
        { "a receiver gone from the config", new("gone", Integrations.Email, 0), false },
        { "webhook entry with send_resolved left out (true, as in Alertmanager)", new("oncall", Integrations.Webhook, 0), true },
        { "webhook entry with send_resolved: false", new("oncall", Integrations.Webhook, 1), false },
        { "an integration AlertRelay does not deliver", new("oncall", "pagerduty", 0), false },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void SendsResolved_IsTheEntrysSendResolved_WhenTheTargetIsConfigured(string name, NotificationTarget target, bool expected)
    {
        Assert.True(expected == target.SendsResolved(Config), name);
    }

    [Theory]
    [InlineData(Integrations.Slack, "acknowledged", true)]
    [InlineData(Integrations.Slack, "unacknowledged", true)]
    [InlineData(Integrations.Slack, "silenced", true)]
    [InlineData(Integrations.PagerDuty, "acknowledged", true)]
    [InlineData(Integrations.PagerDuty, "unacknowledged", false)]
    [InlineData(Integrations.PagerDuty, "silenced", false)]
    [InlineData(Integrations.Email, "acknowledged", false)]
    [InlineData(Integrations.Webhook, "acknowledged", false)]
    [InlineData(Integrations.MsTeamsV2, "acknowledged", false)]
    public void FollowsUpdate_IsAFactOfTheIntegration(string integration, string detail, bool follows)
    {
        Assert.Equal(follows, Integrations.FollowsUpdate(integration, detail));
    }
}

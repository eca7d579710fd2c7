using AlertRelay.Core.Configuration;

namespace AlertRelay.Core.Notify;

/// <summary>The integration names stored in the outbox and used as metric labels, and the integrations of a receiver.</summary>
public static class Integrations
{
    public const string Slack = "slack";
    public const string Email = "email";
    public const string Webhook = "webhook";
    public const string PagerDuty = "pagerduty";
    public const string MsTeamsV2 = "msteamsv2";

    /// <summary>The detail of the <see cref="NotificationKind.Update"/> an acknowledgement queues.</summary>
    public const string AcknowledgedUpdate = "acknowledged";

    // Which on-call updates (NotificationKind.Update, by detail) each integration follows, as a fact of the integration: Slack edits
    // its message for every one (acknowledged, unacknowledged, silenced, unsilenced); PagerDuty acknowledges its alert (the Events API
    // has no way to take an acknowledgement back or to silence); e-mail, webhooks and Teams cannot edit what they sent.
    private static readonly Dictionary<string, Func<string, bool>> UpdatesFollowed = new(StringComparer.Ordinal)
    {
        [Slack] = _ => true,
        [PagerDuty] = detail => detail == AcknowledgedUpdate,
    };

    /// <summary>Whether <paramref name="integration"/> is told of an on-call update with <paramref name="detail"/> (an outbox update is queued for it).</summary>
    public static bool FollowsUpdate(string integration, string detail) =>
        UpdatesFollowed.TryGetValue(integration, out var follows) && follows(detail);

    /// <summary>
    /// Every integration AlertRelay delivers for <paramref name="receiver"/>: its <c>slack_configs</c>, <c>email_configs</c>,
    /// <c>webhook_configs</c>, <c>pagerduty_configs</c>, then <c>msteamsv2_configs</c>.
    /// </summary>
    public static IReadOnlyList<Integration> Of(ReceiverConfig? receiver) =>
        receiver is null
            ? []
            : [
                .. receiver.SlackConfigs.Select((slack, i) => new Integration(receiver.Name, Slack, i, slack.SendResolved)),
                .. receiver.EmailConfigs.Select((email, i) => new Integration(receiver.Name, Email, i, email.SendResolved)),
                .. receiver.WebhookConfigs.Select((webhook, i) => new Integration(receiver.Name, Webhook, i, webhook.SendResolved)),
                .. receiver.PagerDutyConfigs.Select((pagerDuty, i) => new Integration(receiver.Name, PagerDuty, i, pagerDuty.SendResolved)),
                .. receiver.MsTeamsV2Configs.Select((teams, i) => new Integration(receiver.Name, MsTeamsV2, i, teams.SendResolved)),
            ];

    /// <summary>The integration <paramref name="target"/> names in <paramref name="config"/>, or null when it is gone from it.</summary>
    public static Integration? Find(RelayConfig config, NotificationTarget target) =>
        Of(config.FindReceiver(target.Receiver)).FirstOrDefault(i => i.Target == target);
}

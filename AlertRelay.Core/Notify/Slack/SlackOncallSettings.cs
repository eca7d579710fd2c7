using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// What the Slack notifier knows of the on-call loop when it renders a message: whether interactivity is on (a signing secret
/// is configured), the signed alert page links, and the clock those links are signed with.
/// </summary>
public sealed record SlackOncallSettings(bool Interactive, IAlertLinks Links, TimeProvider Time)
{
    /// <summary>
    /// The buttons and link for <paramref name="message"/>: only a firing (or escalation) message about one firing alert gets
    /// any; interactive buttons only through the Web API (<paramref name="webApi"/>), since incoming webhooks receive no clicks.
    /// </summary>
    public SlackOncallView ViewFor(NotificationMessage message, bool webApi)
    {
        if (message.Kind is not (NotificationKind.Firing or NotificationKind.Escalation) || message.Alerts is not [{ Status: AlertStatus.Firing } alert])
        {
            return SlackOncallView.None;
        }

        return new SlackOncallView(Interactive && webApi, Links.Page(alert.Id, Time.GetUtcNow()));
    }
}

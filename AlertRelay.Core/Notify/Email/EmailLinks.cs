using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.Notify.Email;

/// <summary>
/// The signed links a firing e-mail carries (Acknowledge, Silence 1h, Open in AlertRelay), made before the message is built so that
/// <see cref="EmailMessageBuilder"/> stays a pure function of its inputs.
/// </summary>
public sealed record EmailLinks(Uri Acknowledge, Uri Silence, Uri Page)
{
    /// <summary>
    /// The links for <paramref name="message"/>, or null when it gets none: links disabled, a digest or several alerts (one link
    /// would not say which), a resolve, or an occurrence already acknowledged.
    /// </summary>
    public static EmailLinks? For(NotificationMessage message, IAlertLinks links, DateTimeOffset now)
    {
        if (message.Kind is not (NotificationKind.Firing or NotificationKind.Escalation or NotificationKind.Reminder)
            || message.Alerts is not [{ Status: AlertStatus.Firing, Acknowledgement: null } alert])
        {
            return null;
        }

        return links.Action(alert.Id, OncallActionKind.Acknowledge, now) is { } acknowledge
            && links.Action(alert.Id, OncallActionKind.Silence, now) is { } silence
            && links.Page(alert.Id, now) is { } page
                ? new EmailLinks(acknowledge, silence, page)
                : null;
    }
}

namespace AlertRelay.Core.Notify;

/// <summary>
/// The delivered message that announced the latest firing of some of a resolve's alerts (a firing notification, or a digest of
/// firing alerts), as it should read now: a resolve updates it and replies in its thread rather than posting a new message.
/// </summary>
/// <param name="NotificationId">The announcing notification.</param>
/// <param name="Kind"><see cref="NotificationKind.Firing"/> (one alert) or <see cref="NotificationKind.Digest"/>.</param>
/// <param name="Delivery">Where it was delivered (the Slack message, the e-mail Message-ID).</param>
/// <param name="Alerts">Every alert it announced, as they are now (so a digest shows how many still fire).</param>
/// <param name="Resolved">The resolve's alerts that it announced.</param>
public sealed record Announcement(
    long NotificationId,
    NotificationKind Kind,
    DeliveryRef Delivery,
    IReadOnlyList<NotifiedOccurrence> Alerts,
    IReadOnlyList<NotifiedOccurrence> Resolved);

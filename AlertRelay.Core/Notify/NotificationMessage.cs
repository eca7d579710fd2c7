using AlertRelay.Core.Alerts;
using AlertRelay.Core.Schedules;

namespace AlertRelay.Core.Notify;

/// <summary>
/// One notification to one integration of one receiver, ready to render: the occurrence(s) it is about
/// (one, or several for a digest), why, and the delivery it follows up (for a resolve or escalation).
/// </summary>
public sealed record NotificationMessage(
    long NotificationId,
    string Receiver,
    NotificationKind Kind,
    IReadOnlyList<NotifiedOccurrence> Alerts,
    DeliveryRef? Previous)
{
    /// <summary>Alertmanager's external URL the alerts came through (for links), or "".</summary>
    public string ExternalUrl { get; init; } = "";

    /// <summary>For <see cref="NotificationKind.Escalation"/>: the policy name and step index, e.g. "critical-ladder step 2".</summary>
    public string? EscalationStep { get; init; }

    /// <summary>
    /// For a resolve (one alert, or a digest of resolves): the delivered messages that announced its alerts' latest firing, oldest
    /// first; alerts in none of them were never announced (or not delivered). Empty for other kinds.
    /// </summary>
    public IReadOnlyList<Announcement> Announcements { get; init; } = [];

    /// <summary>The person on call this notification pages (a route or step to <c>oncall:&lt;schedule&gt;</c>), or <see langword="null"/>.</summary>
    public OncallPage? Paged { get; init; }

    /// <summary>The paged person's Slack user id, for the channel message's mention (the Slack notifier fills it from the configuration).</summary>
    public string? PagedSlackUserId { get; init; }

    /// <summary>The number of alerts firing among <see cref="Alerts"/>.</summary>
    public int FiringCount => Alerts.Count(a => a.Status == AlertStatus.Firing);

    /// <summary>The number of alerts resolved among <see cref="Alerts"/>.</summary>
    public int ResolvedCount => Alerts.Count - FiringCount;
}

namespace AlertRelay.Core.Notify;

/// <summary>
/// The outbox's words: how a <see cref="NotificationKind"/> is written in the <c>notifications</c> table and read back.
/// Notifications are queued in the transaction of the change that causes them (a transactional outbox), by the store.
/// </summary>
public static class Outbox
{
    public static string KindText(NotificationKind kind) => kind.ToString().ToLowerInvariant();

    public static NotificationKind ParseKind(string text) => Enum.Parse<NotificationKind>(text, ignoreCase: true);

    /// <summary>A digest's detail: how many alerts and of which kind, e.g. "60 alerts firing".</summary>
    public static string DigestDetail(int count, NotificationKind kind) => $"{count} alerts {KindText(kind)}";

    /// <summary>The kind of the notifications a digest stands for, read from its <see cref="DigestDetail"/>; null when it does not say.</summary>
    public static NotificationKind? DigestOf(string? detail) =>
        detail is null ? null
        : detail.EndsWith(" " + KindText(NotificationKind.Firing), StringComparison.Ordinal) ? NotificationKind.Firing
        : detail.EndsWith(" " + KindText(NotificationKind.Resolved), StringComparison.Ordinal) ? NotificationKind.Resolved
        : null;
}

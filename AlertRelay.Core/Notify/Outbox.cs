namespace AlertRelay.Core.Notify;

/// <summary>
/// The outbox's words: how a <see cref="NotificationKind"/> is written in the <c>notifications</c> table and read back.
/// Notifications are queued in the transaction of the change that causes them (a transactional outbox), by the store.
/// </summary>
public static class Outbox
{
    public static string KindText(NotificationKind kind) => kind.ToString().ToLowerInvariant();

    public static NotificationKind ParseKind(string text) => Enum.Parse<NotificationKind>(text, ignoreCase: true);
}

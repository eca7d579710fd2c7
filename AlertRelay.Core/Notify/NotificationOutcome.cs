namespace AlertRelay.Core.Notify;

/// <summary>One delivery attempt to record: the notification, the attempt's number, and what becomes of the notification.</summary>
public sealed record NotificationOutcome(ClaimedNotification Notification, int Attempt, DeliveryDecision Decision);

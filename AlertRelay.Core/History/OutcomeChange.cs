using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.History;

/// <summary>
/// What recording a delivery outcome writes on either engine: the notification's new status (with its next attempt, error or
/// delivery reference) and the event added to the timeline of each of its occurrences.
/// </summary>
internal sealed record OutcomeChange(string Status, long? NextAttemptMs, string? Error, DeliveryRef? Reference, string EventKind, object Detail)
{
    public static OutcomeChange Of(NotificationOutcome outcome, DateTimeOffset now)
    {
        var notification = outcome.Notification;
        var (receiver, integration, _) = notification.Target;
        var kind = Outbox.KindText(notification.Kind);
        var attempt = outcome.Attempt;
        var nowMs = UnixMillis.From(now);
        switch (outcome.Decision)
        {
            case DeliveryDecision.Delivered delivered:
                return new("sent", null, null, delivered.Reference, EventKinds.Notified, new
                {
                    notification = notification.Id, receiver, integration, kind, attempt,
                    latencyMs = nowMs - UnixMillis.From(notification.CreatedAt),
                });

            case DeliveryDecision.Retry retry:
                // Bounded by MaxAttempts, so an outage leaves a readable trail rather than a flood.
                return new("pending", nowMs + (long)retry.Delay.TotalMilliseconds, retry.Reason, null, EventKinds.NotificationRetry, new
                {
                    notification = notification.Id, receiver, integration, kind, attempt,
                    reason = retry.Reason, nextAttemptAt = Rfc3339.Format(now + retry.Delay),
                });

            case DeliveryDecision.Dead dead:
                return new("dead", null, dead.Reason, null, EventKinds.NotificationFailed,
                    new { notification = notification.Id, receiver, integration, kind, attempt, reason = dead.Reason });

            default:
                throw new ArgumentException($"unknown decision {outcome.Decision}", nameof(outcome));
        }
    }
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>The timeline event details of acknowledging and taking back an acknowledgement, on either engine.</summary>
internal static class AckEvents
{
    /// <summary>The outbox detail of the updates an acknowledgement queues (Slack edits its message, PagerDuty acknowledges its alert).</summary>
    public const string AcknowledgedUpdate = Integrations.AcknowledgedUpdate;

    /// <summary>The outbox detail of the Slack message updates taking an acknowledgement back queues.</summary>
    public const string UnacknowledgedUpdate = "unacknowledged";

    public static object Acknowledged(Actor by, string? comment, DateTimeOffset? expiresAt) => by.Source == ActorSources.Api && by.Id is null
        ? new { by = by.Name, comment, expiresAt = expiresAt is { } x ? Rfc3339.Format(x) : null }
        : new { by = by.Name, byId = by.Id, via = by.Source, comment, expiresAt = expiresAt is { } y ? Rfc3339.Format(y) : null };

    public static object Unacknowledged(Actor? by, string? previouslyAckedBy) => by is null || (by.Source == ActorSources.Api && by.Id is null)
        ? new { by = by?.Name, previouslyAckedBy }
        : new { by = by.Name, byId = by.Id, via = by.Source, previouslyAckedBy };
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.History;

/// <summary>The timeline event details of acknowledging and taking back an acknowledgement, on either engine.</summary>
internal static class AckEvents
{
    public static object Acknowledged(string by, string? comment, DateTimeOffset? expiresAt) =>
        new { by, comment, expiresAt = expiresAt is { } x ? Rfc3339.Format(x) : null };

    public static object Unacknowledged(string? by, string? previouslyAckedBy) => new { by, previouslyAckedBy };
}

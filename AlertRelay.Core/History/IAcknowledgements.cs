using AlertRelay.Core.Oncall;

namespace AlertRelay.Core.History;

/// <summary>
/// Acknowledgements of occurrences, recorded with their timeline events (they stop escalation and reminders). In the same
/// transaction, each Slack message that announced the occurrence is queued for an update (<see cref="Notify.NotificationKind.Update"/>,
/// detail "acknowledged" / "unacknowledged") so that it shows the new state, whichever replica took the action.
/// </summary>
public interface IAcknowledgements
{
    /// <summary>
    /// Acknowledges a firing occurrence. With <paramref name="replace"/> (the REST API) acknowledging again replaces the previous
    /// acknowledgement; without (buttons and links: double clicks, two people at once, Slack's retries) an occurrence already
    /// acknowledged (and not expired) is left as it is: <see cref="AckOutcome.AlreadyAcknowledged"/>, no event.
    /// </summary>
    Task<AckOutcome> AcknowledgeAsync(
        long id, Actor by, string? comment, DateTimeOffset? expiresAt, bool replace, DateTimeOffset now, CancellationToken cancellationToken);

    Task<AckOutcome> UnacknowledgeAsync(long id, Actor? by, DateTimeOffset now, CancellationToken cancellationToken);
}

namespace AlertRelay.Core.Oncall;

/// <summary>
/// The on-call loop's one way in: Slack buttons, signed links and the REST API all act through it, so an action means the same
/// wherever it was taken. Each action is one transaction: the state, its timeline event (with <see cref="Actor"/>), the stop or
/// resumption of escalation and reminders, and the Slack messages queued for update (outbox kind
/// <see cref="Notify.NotificationKind.Update"/>), so a crash after it returns loses nothing. Repeating an action is
/// <see cref="OncallOutcome.AlreadyDone"/>, never a second event.
/// </summary>
public interface IOncallActions
{
    Task<OncallResult> AcknowledgeAsync(long occurrenceId, Actor actor, string? comment, CancellationToken cancellationToken);

    Task<OncallResult> UnacknowledgeAsync(long occurrenceId, Actor actor, CancellationToken cancellationToken);

    /// <summary>Creates an Alertmanager silence for the occurrence's labels until now + <paramref name="duration"/>.</summary>
    Task<OncallResult> SilenceAsync(long occurrenceId, Actor actor, TimeSpan duration, string? comment, CancellationToken cancellationToken);

    /// <summary>Expires the occurrence's Alertmanager silence.</summary>
    Task<OncallResult> UnsilenceAsync(long occurrenceId, Actor actor, CancellationToken cancellationToken);
}

namespace AlertRelay.Core.Oncall;

/// <summary>
/// The silence columns of occurrences (<c>silence_id</c>, <c>silenced_by</c>, <c>silenced_at_ms</c>, <c>silence_ends_at_ms</c>) on
/// either engine, with their <c>silenced</c> / <c>unsilenced</c> timeline events and, for firing occurrences, the Slack messages
/// queued for update (detail "silenced" / "unsilenced") in the same transaction.
/// </summary>
/// <remarks>
/// Creating a silence is a call to Alertmanager between two transactions, so two requests at once (a double click, two people, a
/// Slack retry, two replicas) must not both make one. The slot is claimed first: <c>silence_id</c> stays NULL while
/// <c>silenced_by</c> holds the claim and <c>silence_ends_at_ms</c> when it lapses (a crashed claimant frees the slot then). Every
/// reader takes a silence from <c>silence_id</c> only, so a claim is never shown as a silence.
/// </remarks>
public interface ISilenceStore
{
    /// <summary>Claims the occurrence's silence slot for <paramref name="claim"/> until <paramref name="now"/> + <paramref name="hold"/>; a silence recorded earlier that has ended is cleared (<c>unsilenced</c>, expired) on the way.</summary>
    Task<SilenceClaim> ClaimAsync(long occurrenceId, string claim, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken);

    /// <summary>Records the silence created under <paramref name="claim"/>; false (nothing recorded) when the claim is no longer held.</summary>
    Task<bool> RecordAsync(long occurrenceId, string claim, ActiveSilence silence, Actor by, string comment, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Gives the slot back (the silence could not be created); nothing when the claim is no longer held.</summary>
    Task ReleaseAsync(long occurrenceId, string claim, CancellationToken cancellationToken);

    Task<SilenceLookup> FindAsync(long occurrenceId, CancellationToken cancellationToken);

    /// <summary>Clears the occurrence's silence if it is still <paramref name="silenceId"/>, recording why; false when it was not (someone else cleared or replaced it).</summary>
    Task<bool> ClearAsync(long occurrenceId, string silenceId, SilenceEnd end, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every occurrence with a recorded silence, the soonest ending first.</summary>
    Task<IReadOnlyList<SilencedOccurrence>> ListAsync(CancellationToken cancellationToken);
}

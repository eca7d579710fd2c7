namespace AlertRelay.Core.Pipeline;

/// <summary>
/// A change of the pending unmutes (table <c>muted_receivers</c>): a receiver muted now (<see cref="Pending"/>), or its row deleted
/// (<see cref="Receiver"/> null: every receiver of the occurrence, as when it resolves).
/// </summary>
public sealed record MutedReceiverChange(long OccurrenceId, string? Receiver, bool Pending)
{
    /// <summary>The receiver was muted: notify it when the mute ends, if the occurrence still fires.</summary>
    public static MutedReceiverChange Muted(long occurrenceId, string receiver) => new(occurrenceId, receiver, true);

    /// <summary>The receiver's pending unmute is over (notified, or no longer wanted).</summary>
    public static MutedReceiverChange Drop(long occurrenceId, string receiver) => new(occurrenceId, receiver, false);

    /// <summary>Every pending unmute of the occurrence is over (it resolved or was superseded).</summary>
    public static MutedReceiverChange Clear(long occurrenceId) => new(occurrenceId, null, false);
}

using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Notify;

namespace AlertRelay.Core.Pipeline;

/// <summary>What the chain reads from the store while it plans, inside the ingest transaction (so it sees the batch's own writes).</summary>
public interface IIngestReader
{
    /// <summary>The id the next new occurrence gets: allocated before the insert, so that a plan can refer to it.</summary>
    long NextOccurrenceId();

    /// <summary>The stored occurrence with exactly this identity, if any.</summary>
    OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs);

    /// <summary>The deduplication state of an occurrence known by id; null when it is gone (deleted by retention).</summary>
    OccurrenceState? Load(long id);

    /// <summary>The stored annotations of an occurrence (the annotations_changed event shows them).</summary>
    LabelSet LoadAnnotations(long id);

    /// <summary>The integrations that were (or are about to be) told an occurrence fires: a resolve goes to them.</summary>
    IReadOnlyList<NotificationTarget> NotifiedTargets(long occurrenceId);

    /// <summary>Fills <paramref name="index"/> with the newest occurrence of every fingerprint and the older ones still firing.</summary>
    void LoadIdentities(IdentityIndex index);

    /// <summary>Refreshes <paramref name="index"/> for these fingerprints alone (what another writer changed).</summary>
    void LoadIdentities(IdentityIndex index, IReadOnlyCollection<Fingerprint> fingerprints);

    /// <summary>
    /// The fingerprints whose occurrences another writer (another replica) changed since this store's previous commit: empty when
    /// none (always, with a single writer, as on SQLite); null when the state must be filled afresh (unknown, or too many).
    /// </summary>
    IReadOnlyCollection<Fingerprint>? ChangedElsewhere();

    /// <summary>Every firing occurrence, with what mutes it.</summary>
    IReadOnlyList<FiringOccurrence> LoadFiring();

    /// <summary>The re-open candidates whose grace period has ended at <paramref name="nowMs"/>.</summary>
    IReadOnlyList<ReopenCandidate> DueReopens(long nowMs);

    /// <summary>Every receiver waiting for its time interval mute to end (table <c>muted_receivers</c>), with its occurrence's state.</summary>
    IReadOnlyList<PendingUnmute> LoadMutedReceivers();

    /// <summary>Every stored heartbeat state (a heartbeat never seen nor missing has none).</summary>
    IReadOnlyList<HeartbeatState> LoadHeartbeats();
}

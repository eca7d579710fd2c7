using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>What the store knows about an alert's fingerprint when a new copy of it arrives.</summary>
/// <param name="Existing">The stored occurrence with the same (fingerprint, startsAt), if any.</param>
/// <param name="LatestStartsAtMs">The newest startsAt stored for the fingerprint, if any.</param>
public sealed record OccurrenceSnapshot(StoredOccurrence? Existing, long? LatestStartsAtMs)
{
    public static OccurrenceSnapshot Unknown { get; } = new(null, null);
}

/// <summary>The stored state of one occurrence that deduplication compares against.</summary>
/// <param name="AnnotationsHash">
/// <see cref="StoredOccurrence.HashAnnotations"/> of the stored annotations: deduplication only needs to know whether
/// they changed, and a 64-bit hash is what the in-memory <see cref="IdentityIndex"/> can afford to hold per alert.
/// </param>
public sealed record StoredOccurrence(long Id, AlertStatus Status, ulong AnnotationsHash, long? EndsAtMs = null)
{
    /// <summary>
    /// A hash of an annotation set that does not depend on order: Alertmanager's fingerprint algorithm (FNV-1a 64
    /// over the sorted pairs). Not collision-resistant against a crafted input, which could at worst hide an
    /// annotation change from the history (the alert itself is still stored and routed).
    /// </summary>
    public static ulong HashAnnotations(LabelSet annotations) => Fingerprint.Of(annotations).Value;
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>The stored state of one occurrence that deduplication compares against.</summary>
/// <param name="AnnotationsHash">
/// <see cref="OccurrenceState.HashAnnotations"/> of the stored annotations: deduplication only needs to know whether
/// they changed, and a 64-bit hash is what the in-memory <see cref="IdentityIndex"/> can afford to hold per alert.
/// </param>
/// <param name="ReopenPending">A resolved occurrence with a re-open candidate waiting for its grace period to end.</param>
public sealed record OccurrenceState(long Id, AlertStatus Status, ulong AnnotationsHash, long? EndsAtMs = null, bool ReopenPending = false)
{
    /// <summary>
    /// A hash of an annotation set that does not depend on order: Alertmanager's fingerprint algorithm (FNV-1a 64
    /// over the sorted pairs). Not collision-resistant against a crafted input, which could at worst hide an
    /// annotation change from the history (the alert itself is still stored and routed).
    /// </summary>
    public static ulong HashAnnotations(LabelSet annotations) => Fingerprint.Of(annotations).Value;
}

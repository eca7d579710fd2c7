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
public sealed record StoredOccurrence(long Id, AlertStatus Status, string AnnotationsJson, long? EndsAtMs = null);

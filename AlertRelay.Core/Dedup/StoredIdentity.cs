using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Dedup;

/// <summary>What the store holds for an alert's identity when a new copy of it arrives: deduplication's input.</summary>
/// <param name="Existing">The stored occurrence with the same (fingerprint, startsAt), if any.</param>
/// <param name="LatestStartsAtMs">The newest startsAt stored for the fingerprint, if any.</param>
public sealed record StoredIdentity(OccurrenceState? Existing, long? LatestStartsAtMs)
{
    public static StoredIdentity Unknown { get; } = new(null, null);
}

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Pipeline;

/// <summary>A firing occurrence as the store holds it, for the inhibition index.</summary>
public sealed record FiringOccurrence(long Id, Fingerprint Fingerprint, LabelSet Labels, long? InhibitedBy);

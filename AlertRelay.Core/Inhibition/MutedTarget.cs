using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Inhibition;

/// <summary>A currently muted occurrence: its id, its labels and the occurrence id of the source it is attributed to.</summary>
public sealed record MutedTarget(long OccurrenceId, LabelSet Labels, long MutedBy);

using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Pipeline;

/// <summary>The new status and end of a stored occurrence, and its new annotations (JSON) when they changed.</summary>
public sealed record OccurrenceUpdate(long Id, AlertStatus Status, long? EndsAtMs, string? AnnotationsJson);

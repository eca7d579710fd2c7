using AlertRelay.Core.Alerts;

namespace AlertRelay.Core.Pipeline;

/// <summary>
/// The new status and end of a stored occurrence, and its new annotations (JSON) when they changed. <paramref name="ReopenPending"/>
/// says whether it is (still) a re-open candidate: with <paramref name="ReopenDueMs"/> a new candidate confirmed then, without it
/// the stored due time is kept; false clears it.
/// </summary>
public sealed record OccurrenceUpdate(long Id, AlertStatus Status, long? EndsAtMs, string? AnnotationsJson, bool ReopenPending = false, long? ReopenDueMs = null);

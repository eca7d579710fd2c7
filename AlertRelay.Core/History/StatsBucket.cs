namespace AlertRelay.Core.History;

/// <summary>The net change of one rollup row (hour, status, severity) over a transaction: occurrences and resolve milliseconds to add.</summary>
internal readonly record struct StatsBucket(long Hour, string Status, string Severity, long Occurrences, long ResolveMsSum);

namespace AlertRelay.Core.Pipeline;

/// <summary>An older occurrence still marked firing, resolved at <paramref name="EndsAtMs"/>: the startsAt of its successor.</summary>
public sealed record SupersededOccurrence(long Id, long EndsAtMs);

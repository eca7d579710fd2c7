namespace AlertRelay.Core.Pipeline;

/// <summary>An event on an occurrence's timeline (<see cref="History.EventKinds"/>), its detail already JSON.</summary>
public sealed record TimelineEvent(long OccurrenceId, string Kind, string? DetailJson);

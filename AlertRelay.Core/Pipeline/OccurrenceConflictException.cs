namespace AlertRelay.Core.Pipeline;

/// <summary>The store holds something the plan did not expect (written behind the writer's back, or by another writer).</summary>
public sealed class OccurrenceConflictException(string message) : Exception(message);

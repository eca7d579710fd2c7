namespace AlertRelay.Core.Schedules;

/// <summary>The detail of a <c>paged</c> timeline event: who was paged for which schedule, through which integrations, and by which escalation step.</summary>
public sealed record OncallPagingEvent(string Schedule, string Participant, IReadOnlyList<string> Via, string? Step);

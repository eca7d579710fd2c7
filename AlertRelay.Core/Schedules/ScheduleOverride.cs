using NodaTime;

namespace AlertRelay.Core.Schedules;

/// <summary>An override: <see cref="Participant"/> is on call from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive), local times.</summary>
public sealed record ScheduleOverride(string Participant, LocalDateTime From, LocalDateTime To);

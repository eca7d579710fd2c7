using NodaTime;

namespace AlertRelay.Core.Schedules;

/// <summary>
/// A schedule's rotation: <see cref="Participants"/> take turns of <see cref="Length"/>, the first from <see cref="Start"/>. Handoffs are
/// local times (start + k × length on the local clock), so a weekly 09:00 handoff stays at 09:00 across daylight-saving changes.
/// The start anchors the rotation; it extends before it too, so that somebody is always on call.
/// </summary>
public sealed record Rotation(LocalDateTime Start, Duration Length, IReadOnlyList<string> Participants);

namespace AlertRelay.Core.Schedules;

/// <summary>A stretch of time with one person on call: from <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
/// <param name="IsOverride">Whether an override put them there (rather than the rotation).</param>
public sealed record Shift(string Participant, DateTimeOffset Start, DateTimeOffset End, bool IsOverride);

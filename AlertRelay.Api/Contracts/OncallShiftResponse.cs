using AlertRelay.Core.Schedules;

namespace AlertRelay.Api.Contracts;

/// <summary>A shift as the API shows it: who, from (inclusive) to (exclusive), in UTC; <c>override</c> when an override put them there.</summary>
public sealed record OncallShiftResponse(string Participant, DateTime Start, DateTime End, bool Override)
{
    public static OncallShiftResponse From(Shift shift) => new(shift.Participant, shift.Start.UtcDateTime, shift.End.UtcDateTime, shift.IsOverride);
}

namespace AlertRelay.Api.Contracts;

/// <summary>
/// One schedule at an instant: who is on call (<c>current</c>), the next shifts (<c>next</c>, each starting at a handoff), and
/// <c>calendarUrl</c>, the path of its iCalendar feed with the token a calendar subscription needs (it sends no header).
/// </summary>
public sealed record OncallScheduleResponse(
    string Name,
    string Timezone,
    string? Receiver,
    OncallShiftResponse Current,
    IReadOnlyList<OncallShiftResponse> Next,
    string CalendarUrl);

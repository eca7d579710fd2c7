using AlertRelay.Core.Schedules;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace AlertRelay.Api.Endpoints;

/// <summary>A schedule's shifts as an iCalendar feed (RFC 5545): one VEVENT per shift, UTC times, a UID that stays the same across fetches.</summary>
public static class OncallCalendar
{
    /// <summary>The most events one feed holds (a year of hourly shifts is 8,760).</summary>
    public const int MaxEvents = 10_000;

    /// <summary>The feed of <paramref name="schedule"/> over [<paramref name="from"/>, <paramref name="to"/>) (whole shifts, at most <see cref="MaxEvents"/>), stamped <paramref name="now"/>.</summary>
    public static string Render(OncallSchedule schedule, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        var calendar = new Calendar { ProductId = "-//AlertRelay//On-call schedules//EN", Method = "PUBLISH" };
        calendar.AddProperty("X-WR-CALNAME", $"On call ({schedule.Name})");
        calendar.AddProperty("X-WR-TIMEZONE", schedule.Zone.Id);
        var count = 0;
        for (var cursor = from; cursor < to && count < MaxEvents; count++)
        {
            var shift = schedule.ShiftAt(cursor); // as OncallSchedule.Shifts, but bounded: a 1m rotation would make 140,000 events
            cursor = shift.End;
            calendar.Events.Add(new CalendarEvent
            {
                // The schedule and the start identify a shift: when an override later shortens it, calendars update the same event.
                Uid = Uid(schedule.Name, shift),
                Summary = $"On call: {shift.Participant} ({schedule.Name})",
                Description = shift.IsOverride
                    ? $"{shift.Participant} is on call for {schedule.Name} (override)."
                    : $"{shift.Participant} is on call for {schedule.Name} (rotation).",
                DtStart = new CalDateTime(shift.Start.UtcDateTime),
                DtEnd = new CalDateTime(shift.End.UtcDateTime),
                DtStamp = new CalDateTime(now.UtcDateTime),
                Transparency = "TRANSPARENT", // on call is not busy: the shifts do not block people's calendars
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    /// <summary>The UID of a shift: <c>&lt;schedule&gt;-&lt;start, unix seconds&gt;@alertrelay</c>.</summary>
    public static string Uid(string schedule, Shift shift) =>
        $"{Uri.EscapeDataString(schedule)}-{shift.Start.ToUnixTimeSeconds()}@alertrelay";
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Endpoints;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Schedules;
using Ical.Net;

namespace AlertRelay.Tests.Api;

/// <summary><c>GET /api/oncall/{schedule}.ics</c> through the real host: parsed back with Ical.Net, its events are the schedule's shifts.</summary>
public sealed class OncallCalendarTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-03-25T12:00:00Z");

    private static readonly RelayConfig Config = RelayConfigLoader.LoadFromYaml(OncallApp.Yaml, "alertrelay.yml");

    private readonly OncallApp _app = new(Now);

    public void Dispose() => _app.Dispose();

    private sealed record ParsedShift(string Uid, string Summary, DateTimeOffset Start, DateTimeOffset End);

    private static async Task<List<ParsedShift>> FetchAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var calendar = Calendar.Load(await response.Content.ReadAsStringAsync())!;
        return calendar.Events
            .Select(e =>
            {
                Assert.True(e.DtStart!.IsUtc && e.DtEnd!.IsUtc, $"{e.Uid}: DTSTART and DTEND must be UTC");
                return new ParsedShift(e.Uid!, e.Summary!, new DateTimeOffset(e.DtStart.AsUtc), new DateTimeOffset(e.DtEnd.AsUtc));
            })
            .OrderBy(s => s.Start)
            .ToList();
    }

    private static void AssertSameShifts(OncallSchedule schedule, IReadOnlyList<Shift> expected, IReadOnlyList<ParsedShift> actual)
    {
        Assert.Equal(
            expected.Select(s => (OncallCalendar.Uid(schedule.Name, s), $"On call: {s.Participant} ({schedule.Name})", s.Start, s.End)),
            actual.Select(s => (s.Uid, s.Summary, s.Start, s.End)));
    }

    [Theory]
    [InlineData("primary", "2026-03-20T00:00:00Z", 30)]   // Paris: dave's override and the spring change
    [InlineData("secondary", "2026-09-28T00:00:00Z", 14)] // Lord Howe: the 30-minute spring change
    [InlineData("secondary", "2026-04-01T00:00:00Z", 10)] // Lord Howe: the autumn change (01:30-02:00 twice)
    public async Task Calendar_HoldsTheScheduleShifts_WhenParsedBackWithIcalNet(string name, string from, int days)
    {
        var schedule = Config.FindSchedule(name)!;
        var start = DateTimeOffset.Parse(from);

        var parsed = await FetchAsync(_app.Reader(), $"/api/oncall/{name}.ics?from={from}&days={days}");

        AssertSameShifts(schedule, schedule.Shifts(start, start.AddDays(days)), parsed);
        Assert.Equal(parsed.Count, parsed.Select(s => s.Uid).Distinct().Count());
    }

    [Fact]
    public async Task Calendar_CoversSevenDaysBackToNinetyAhead_WhenNoWindowIsGiven()
    {
        var schedule = Config.FindSchedule("primary")!;

        var parsed = await FetchAsync(_app.Reader(), "/api/oncall/primary.ics");

        AssertSameShifts(schedule, schedule.Shifts(Now.AddDays(-7), Now.AddDays(90)), parsed);
        Assert.Contains(parsed, s => s.Summary == "On call: dave (primary)");
    }

    [Fact]
    public async Task Calendar_KeepsEachShiftUid_WhenFetchedAgainLater()
    {
        var first = await FetchAsync(_app.Reader(), "/api/oncall/primary.ics");
        _app.Time.Advance(TimeSpan.FromDays(1));

        var second = await FetchAsync(_app.Reader(), "/api/oncall/primary.ics");

        Assert.Equal(first.Select(s => (s.Uid, s.Start)), second.Select(s => (s.Uid, s.Start)));
    }

    [Fact]
    public async Task Calendar_AcceptsTheCalendarUrl_WhenNoHeaderIsSent()
    {
        var oncall = await _app.Reader().GetFromJsonAsync<OncallScheduleResponse>("/api/oncall/primary", new JsonSerializerOptions(JsonSerializerDefaults.Web));

        var parsed = await FetchAsync(_app.Anonymous(), oncall!.CalendarUrl);

        Assert.NotEmpty(parsed);
    }

    [Theory]
    [InlineData("/api/oncall/primary.ics")]
    [InlineData("/api/oncall/primary.ics?token=" + AlertRelayApp.ReadToken)] // the read token itself never goes in a URL
    [InlineData("/api/oncall/primary.ics?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Calendar_Returns401_WhenNeitherHeaderNorFeedTokenIsValid(string path)
    {
        var response = await _app.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Calendar_Returns401_WhenTheTokenIsAnotherSchedulesFeedToken()
    {
        var secondary = await _app.Reader().GetFromJsonAsync<OncallScheduleResponse>("/api/oncall/secondary", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var token = secondary!.CalendarUrl[(secondary.CalendarUrl.IndexOf("?token=", StringComparison.Ordinal) + 7)..];

        var response = await _app.Anonymous().GetAsync($"/api/oncall/primary.ics?token={token}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Calendar_Returns404_WhenTheScheduleIsUnknown()
    {
        var response = await _app.Reader().GetAsync("/api/oncall/tertiary.ics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("days=0")]
    [InlineData("days=401")]
    [InlineData("days=ten")]
    [InlineData("from=yesterday")]
    public async Task Calendar_Returns400_WhenTheWindowIsInvalid(string query)
    {
        var response = await _app.Reader().GetAsync($"/api/oncall/primary.ics?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void Render_StopsAtMaxEvents_WhenTheRotationIsVeryShort()
    {
        var schedule = new OncallSchedule(
            "minutes", NodaTime.DateTimeZoneProviders.Tzdb["UTC"], new Rotation(new NodaTime.LocalDateTime(2026, 1, 1, 0, 0), NodaTime.Duration.FromMinutes(1), ["alice", "bob"]), []);

        var calendar = Calendar.Load(OncallCalendar.Render(schedule, Now, Now.AddDays(30), Now))!;

        Assert.Equal(OncallCalendar.MaxEvents, calendar.Events.Count);
        Assert.Equal(Now.AddMinutes(OncallCalendar.MaxEvents - 1).UtcDateTime, calendar.Events.Max(e => e.DtStart!.AsUtc));
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlertRelay.Api.Contracts;

namespace AlertRelay.Tests.Api;

/// <summary><c>GET /api/oncall</c> and <c>GET /api/oncall/{schedule}</c> through the real host, on a fake clock.</summary>
public sealed class OncallEndpointTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly OncallApp _app = new(DateTimeOffset.Parse("2026-01-05T08:30:00Z"));

    public void Dispose() => _app.Dispose();

    private static DateTime Utc(string text) => DateTime.Parse(text, null, System.Globalization.DateTimeStyles.AdjustToUniversal);

    [Fact]
    public async Task List_ReturnsTheOverrideAndTheNextHandoffs_WhenAtIsInsideTheOverride()
    {
        var body = await _app.Reader().GetFromJsonAsync<OncallListResponse>("/api/oncall?at=2026-03-29T01:30:00Z", Json);

        Assert.Equal(Utc("2026-03-29T01:30:00Z"), body!.At);
        Assert.Equal(["primary", "secondary"], body.Schedules.Select(s => s.Name));
        var primary = body.Schedules[0];
        Assert.Equal("Europe/Paris", primary.Timezone);
        Assert.Equal(new OncallShiftResponse("dave", Utc("2026-03-28T17:00:00Z"), Utc("2026-03-30T07:00:00Z"), true), primary.Current);
        Assert.Equal(
        [
            new OncallShiftResponse("alice", Utc("2026-03-30T07:00:00Z"), Utc("2026-04-06T07:00:00Z"), false),
            new OncallShiftResponse("bob", Utc("2026-04-06T07:00:00Z"), Utc("2026-04-13T07:00:00Z"), false),
            new OncallShiftResponse("carol", Utc("2026-04-13T07:00:00Z"), Utc("2026-04-20T07:00:00Z"), false),
            new OncallShiftResponse("alice", Utc("2026-04-20T07:00:00Z"), Utc("2026-04-27T07:00:00Z"), false),
            new OncallShiftResponse("bob", Utc("2026-04-27T07:00:00Z"), Utc("2026-05-04T07:00:00Z"), false),
        ], primary.Next);
    }

    [Fact]
    public async Task List_AnswersForTheClock_WhenAtIsAbsent()
    {
        _app.Time.SetUtcNow(DateTimeOffset.Parse("2026-01-12T08:00:00Z")); // Monday 09:00 in Paris: bob takes over from alice

        var body = await _app.Reader().GetFromJsonAsync<OncallListResponse>("/api/oncall", Json);

        Assert.Equal(Utc("2026-01-12T08:00:00Z"), body!.At);
        Assert.Equal(new OncallShiftResponse("bob", Utc("2026-01-12T08:00:00Z"), Utc("2026-01-19T08:00:00Z"), false), body.Schedules[0].Current);
    }

    [Fact]
    public async Task Get_ReturnsOneScheduleAtTheInstant_WhenItExists()
    {
        // Lord Howe, daily 02:00: on 2026-10-04 02:00 is skipped (02:00 -> 02:30), so that day's handoff is at 02:30 (+11) = 15:30Z.
        var body = await _app.Reader().GetFromJsonAsync<OncallScheduleResponse>("/api/oncall/secondary?at=2026-10-03T15:00:00Z", Json);

        Assert.Equal("secondary", body!.Name);
        Assert.Equal("Australia/Lord_Howe", body.Timezone);
        Assert.Equal(Utc("2026-10-02T15:30:00Z"), body.Current.Start);
        Assert.Equal(Utc("2026-10-03T15:30:00Z"), body.Current.End);
        Assert.Equal(Utc("2026-10-04T15:00:00Z"), body.Next[0].End);
        Assert.NotEqual(body.Current.Participant, body.Next[0].Participant);
        Assert.StartsWith("/api/oncall/secondary.ics?token=", body.CalendarUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Returns404NamingTheSchedule_WhenItIsUnknown()
    {
        var response = await _app.Reader().GetAsync("/api/oncall/tertiary");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("\"tertiary\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/oncall")]
    [InlineData("/api/oncall/primary")]
    public async Task Get_Returns401_WhenTheReadTokenIsMissing(string path)
    {
        var response = await _app.Anonymous().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("tomorrow")]
    [InlineData("9999-12-31T00:00:00Z")] // the handoffs after it would be past the end of the calendar
    [InlineData("1800-01-01T00:00:00Z")]
    public async Task List_Returns400_WhenAtIsNotATimeOrOutOfRange(string at)
    {
        var response = await _app.Reader().GetAsync($"/api/oncall?at={at}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("at", out _));
    }
}

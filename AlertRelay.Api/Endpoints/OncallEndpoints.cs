using System.Diagnostics;
using System.Globalization;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Schedules;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// Who is on call, under <c>/api/oncall</c>: every schedule, one schedule (read token), and a schedule's iCalendar feed
/// (<c>{schedule}.ics</c>: the read token as a bearer header, or the feed's own <c>?token=</c>, see <see cref="CalendarTokens"/>).
/// </summary>
public static class OncallEndpoints
{
    /// <summary>How many shifts after the current one <c>next</c> lists.</summary>
    public const int NextShifts = 5;

    /// <summary>The feed's default window: this many days back from now, and <see cref="DefaultDays"/> days in all.</summary>
    public const int DefaultDaysBack = 7;

    public const int DefaultDays = DefaultDaysBack + 90;

    /// <summary>The longest window a feed request may ask for (<c>days</c>).</summary>
    public const int MaxDays = 400;

    private static readonly DateTimeOffset Earliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Latest = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapOncallEndpoints(this IEndpointRouteBuilder routes)
    {
        var tokens = ActivatorUtilities.CreateInstance<CalendarTokens>(routes.ServiceProvider);

        var group = routes.MapGroup("/api/oncall").WithTags("On call");
        group.MapGet("/", (string? at, RelayConfigProvider config, ApiMetrics metrics, TimeProvider time) => List(at, config, tokens, metrics, time))
            .RequireReadToken()
            .WithName("ListOncall")
            .WithSummary("Who is on call for every schedule, and the next handoffs")
            .WithDescription("`at` (RFC 3339 or unix seconds, default now) is the instant asked about.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        // Registered before /{schedule}: "primary.ics" must reach the feed, not a schedule named "primary.ics".
        group.MapGet("/{schedule}.ics", (string schedule, string? token, string? from, string? days, HttpContext context,
                RelayConfigProvider config, TokenGuard guard, ApiMetrics metrics, TimeProvider time) =>
                Calendar(schedule, token, from, days, context, config, guard, tokens, metrics, time))
            .WithName("OncallCalendar")
            .WithSummary("A schedule's shifts as an iCalendar feed to subscribe to")
            .WithDescription("One event per shift from `from` (default: 7 days ago) for `days` days (default 97, at most 400). "
                + "Calendar applications cannot send a header: use the `calendarUrl` of GET /api/oncall/{schedule}, which carries the feed's token.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{schedule}", (string schedule, string? at, RelayConfigProvider config, ApiMetrics metrics, TimeProvider time) =>
                Get(schedule, at, config, tokens, metrics, time))
            .RequireReadToken()
            .WithName("GetOncall")
            .WithSummary("Who is on call for one schedule, the next handoffs, and its calendar URL")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static Results<Ok<OncallListResponse>, ValidationProblem> List(
        string? at, RelayConfigProvider config, CalendarTokens tokens, ApiMetrics metrics, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var instant = ParseTime(errors, "at", at) ?? time.GetUtcNow();
        if (errors.Count > 0)
        {
            return InvalidQuery(errors, metrics);
        }

        var schedules = config.Current.Schedules.Select(s => Describe(s, instant, tokens)).ToList();
        return TypedResults.Ok(new OncallListResponse(instant.UtcDateTime, schedules));
    }

    private static Results<Ok<OncallScheduleResponse>, ProblemHttpResult, ValidationProblem> Get(
        string schedule, string? at, RelayConfigProvider config, CalendarTokens tokens, ApiMetrics metrics, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var instant = ParseTime(errors, "at", at) ?? time.GetUtcNow();
        if (errors.Count > 0)
        {
            return InvalidQuery(errors, metrics);
        }

        return config.Current.FindSchedule(schedule) is { } found
            ? TypedResults.Ok(Describe(found, instant, tokens))
            : NotFound(schedule);
    }

    private static Results<ContentHttpResult, ProblemHttpResult, ValidationProblem> Calendar(
        string schedule, string? token, string? from, string? days, HttpContext context, RelayConfigProvider config, TokenGuard guard,
        CalendarTokens tokens, ApiMetrics metrics, TimeProvider time)
    {
        if (!guard.Read.Accepts(context.Request.Headers.Authorization) && !tokens.Accepts(schedule, token))
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "unauthorized" } });
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"alertrelay\"";
            return TypedResults.Problem(
                title: "Unauthorized",
                detail: "A valid bearer token, or the calendar token of this schedule (?token=, see calendarUrl in GET /api/oncall/{schedule}), is required.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var start = ParseTime(errors, "from", from) ?? now.AddDays(-DefaultDaysBack);
        var length = DefaultDays;
        if (days is not null && (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out length) || length < 1 || length > MaxDays))
        {
            errors["days"] = [$"must be an integer from 1 to {MaxDays}"];
        }

        if (errors.Count > 0)
        {
            return InvalidQuery(errors, metrics);
        }

        if (config.Current.FindSchedule(schedule) is not { } found)
        {
            return NotFound(schedule);
        }

        var body = OncallCalendar.Render(found, start, start.AddDays(length), now);
        return TypedResults.Text(body, "text/calendar; charset=utf-8");
    }

    private static OncallScheduleResponse Describe(OncallSchedule schedule, DateTimeOffset at, CalendarTokens tokens)
    {
        var current = schedule.ShiftAt(at);
        var next = new List<OncallShiftResponse>(NextShifts);
        for (var shift = current; next.Count < NextShifts;)
        {
            shift = schedule.ShiftAt(shift.End);
            next.Add(OncallShiftResponse.From(shift));
        }

        var url = $"/api/oncall/{Uri.EscapeDataString(schedule.Name)}.ics" +
            (tokens.For(schedule.Name) is { } token ? $"?token={token}" : "");
        return new OncallScheduleResponse(schedule.Name, schedule.Zone.Id, schedule.Receiver, OncallShiftResponse.From(current), next, url);
    }

    private static ProblemHttpResult NotFound(string schedule) =>
        TypedResults.Problem(
            title: "Schedule not found",
            detail: $"No on-call schedule is named \"{schedule}\" (oncall_schedules in the configuration file).",
            statusCode: StatusCodes.Status404NotFound);

    /// <summary>RFC 3339 or unix seconds, as the alert API reads times.</summary>
    private static DateTimeOffset? ParseTime(Dictionary<string, string[]> errors, string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        DateTimeOffset? time = Rfc3339.TryParse(text, out var parsed) ? parsed
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800L
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        if (time is null)
        {
            errors[name] = [$"\"{text}\" is neither an RFC 3339 timestamp nor unix seconds"];
        }
        else if (time < Earliest || time > Latest)
        {
            // Handoffs are computed on the local calendar, which ends in year 9999: keep far from it.
            errors[name] = [$"must be between {Earliest:yyyy-MM-dd} and {Latest:yyyy-MM-dd}"];
            time = null;
        }

        return time;
    }

    private static ValidationProblem InvalidQuery(Dictionary<string, string[]> errors, ApiMetrics metrics)
    {
        metrics.Rejected.Add(1, new TagList { { "reason", "invalid_query" } });
        return TypedResults.ValidationProblem(errors, title: "Invalid query");
    }
}

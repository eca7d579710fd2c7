using System.Diagnostics;
using System.Globalization;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>The alert history API under <c>/api/alerts</c> (read token required).</summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/alerts").WithTags("Alerts").RequireReadToken();

        group.MapGet("/", ListAsync)
            .WithName("ListAlerts")
            .WithSummary("List alert occurrences, newest first")
            .WithDescription("Filters combine with AND. `from`/`to` (RFC 3339 or unix seconds) select occurrences active in the range. "
                + "`filter` takes Alertmanager matchers and may repeat: filter=severity=\"critical\"&filter=instance=~\"web-.*\". "
                + "Pages are keyset-paginated: pass nextCursor back as cursor.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/{id:long}", GetAsync)
            .WithName("GetAlert")
            .WithSummary("One alert occurrence with its labels, annotations and event timeline")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapGet("/stats", StatsAsync)
            .WithName("AlertStats")
            .WithSummary("Counts by status and severity over a time range, and mean time to resolve")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return routes;
    }

    private static async Task<Results<Ok<AlertListResponse>, ValidationProblem>> ListAsync(
        IAlertQueries queries,
        ApiMetrics metrics,
        CancellationToken cancellationToken,
        string? status = null,
        string? severity = null,
        string? alertname = null,
        string? receiver = null,
        string? from = null,
        string? to = null,
        string[]? filter = null,
        string? limit = null,
        string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>();
        var query = BuildQuery(errors, status, severity, alertname, receiver, from, to, filter);
        var take = QueryParameters.Limit(errors, limit, AlertQuery.DefaultLimit, AlertQuery.MaxLimit);

        AlertCursor? after = null;
        if (cursor is not null)
        {
            if (AlertCursor.TryDecode(cursor, out var decoded))
            {
                after = decoded;
            }
            else
            {
                errors["cursor"] = ["is not a cursor returned by this API (use nextCursor from the previous page)"];
            }
        }

        if (errors.Count > 0)
        {
            return InvalidQuery(errors, metrics);
        }

        var page = await queries.ListAsync(query with { Limit = take, After = after }, cancellationToken);
        return TypedResults.Ok(new AlertListResponse(page.Items.Select(a => a.AsResponse()).ToList(), page.Next?.Encode()));
    }

    private static async Task<Results<Ok<AlertDetailResponse>, ProblemHttpResult>> GetAsync(
        long id, IAlertQueries queries, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(id, cancellationToken) is not { } found)
        {
            return TypedResults.Problem(
                title: "Alert not found",
                detail: $"No alert occurrence has id {id}.",
                statusCode: StatusCodes.Status404NotFound);
        }

        return TypedResults.Ok(new AlertDetailResponse(found.Alert.AsResponse(), found.Events.Select(e => e.AsResponse()).ToList()));
    }

    private static async Task<Results<Ok<AlertStatsResponse>, ValidationProblem>> StatsAsync(
        IAlertQueries queries,
        ApiMetrics metrics,
        CancellationToken cancellationToken,
        string? from = null,
        string? to = null,
        string? severity = null,
        string? alertname = null,
        string? receiver = null,
        string[]? filter = null)
    {
        var errors = new Dictionary<string, string[]>();
        var query = BuildQuery(errors, status: null, severity, alertname, receiver, from, to, filter);
        if (errors.Count > 0)
        {
            return InvalidQuery(errors, metrics);
        }

        var stats = await queries.StatsAsync(query, cancellationToken);
        return TypedResults.Ok(new AlertStatsResponse(
            query.From?.UtcDateTime, query.To?.UtcDateTime, stats.Total, stats.ByStatus, stats.BySeverity, stats.Resolved, stats.MeanTimeToResolveSeconds));
    }

    private static AlertQuery BuildQuery(
        Dictionary<string, string[]> errors, string? status, string? severity, string? alertname, string? receiver,
        string? from, string? to, string[]? filter)
    {
        AlertStatus? parsedStatus = null;
        if (status is not null)
        {
            if (AlertStatusText.TryParse(status, out var s))
            {
                parsedStatus = s;
            }
            else
            {
                errors["status"] = [$"unknown status \"{status}\"; expected \"firing\" or \"resolved\""];
            }
        }

        var fromTime = ParseTime(errors, "from", from);
        var toTime = ParseTime(errors, "to", to);
        if (fromTime > toTime)
        {
            errors["from"] = ["must not be after to"];
        }

        var matchers = new List<Matcher>();
        foreach (var text in filter ?? [])
        {
            if (MatcherParser.TryParseMatcher(text, out var matcher, out var error))
            {
                matchers.Add(matcher!);
            }
            else
            {
                errors["filter"] = [.. errors.GetValueOrDefault("filter") ?? [], $"{text}: {error}"];
            }
        }

        return new AlertQuery
        {
            Status = parsedStatus,
            Severity = severity,
            Alertname = alertname,
            Receiver = receiver,
            From = fromTime,
            To = toTime,
            Matchers = matchers,
        };
    }

    /// <summary>RFC 3339 or unix seconds (fractions allowed), like Prometheus' HTTP API.</summary>
    private static DateTimeOffset? ParseTime(Dictionary<string, string[]> errors, string name, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (Rfc3339.TryParse(text, out var time))
        {
            return time;
        }

        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800m)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        errors[name] = [$"\"{text}\" is neither an RFC 3339 timestamp nor unix seconds"];
        return null;
    }

    private static ValidationProblem InvalidQuery(Dictionary<string, string[]> errors, ApiMetrics metrics)
    {
        metrics.Rejected.Add(1, new TagList { { "reason", "invalid_query" } });
        return TypedResults.ValidationProblem(errors, title: "Invalid query");
    }
}

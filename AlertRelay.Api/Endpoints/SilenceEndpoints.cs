using System.Diagnostics;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Oncall;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>Alertmanager silences of alert occurrences: <c>POST</c> and <c>DELETE /api/alerts/{id}/silence</c> (API token required).</summary>
public static class SilenceEndpoints
{
    public static IEndpointRouteBuilder MapSilenceEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/alerts/{id:long}/silence").WithTags("Silences").RequireReadToken();

        group.MapPost("/", SilenceAsync)
            .WithName("SilenceAlert")
            .WithSummary("Create an Alertmanager silence for a firing alert's labels")
            .WithDescription("`by` and `duration` (a Prometheus duration, more than 0 and at most 7d) are required. The silence's matchers are "
                + "the alert's labels (equality) minus AlertRelay:Alertmanager:SilenceExcludedLabels. 201 with the silence id; 200 with the "
                + "existing silence when the alert is already silenced; 409 when it is resolved; 503 when no Alertmanager answers or silences "
                + "are not configured (AlertRelay:Alertmanager:Urls).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapDelete("/", UnsilenceAsync)
            .WithName("UnsilenceAlert")
            .WithSummary("Expire the alert's Alertmanager silence")
            .WithDescription("`by` (query) says who; 409 when the alert is not silenced; 503 when no Alertmanager answers.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return routes;
    }

    private static async Task<Results<Created<SilenceResponse>, Ok<SilenceResponse>, ValidationProblem, ProblemHttpResult>> SilenceAsync(
        long id, SilenceRequest request, IOncallActions actions, ISilenceStore silences, ApiMetrics metrics, CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var duration);
        if (errors.Count > 0)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "invalid_query" } });
            return TypedResults.ValidationProblem(errors, title: "Invalid silence");
        }

        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        var result = await actions.SilenceAsync(id, new Actor(request.By!.Trim(), ActorSources.Api), duration, comment, cancellationToken);
        switch (result.Outcome)
        {
            case OncallOutcome.Done or OncallOutcome.AlreadyDone when result.SilenceId is not null:
                var silence = (await silences.FindAsync(id, cancellationToken)).Silence;
                var body = silence is not null && silence.Id == result.SilenceId
                    ? new SilenceResponse(silence.Id, silence.By, silence.EndsAt.UtcDateTime)
                    : null;
                if (body is null)
                {
                    // Ended between the action and this read (an unsilence at once): say so rather than show a silence that is gone.
                    return Problem(StatusCodes.Status409Conflict, "Silence ended", $"The silence of alert {id} ended while it was being read.");
                }

                return result.Outcome == OncallOutcome.Done ? TypedResults.Created($"/api/alerts/{id}", body) : TypedResults.Ok(body);
            case OncallOutcome.AlreadyDone:
                return Problem(StatusCodes.Status409Conflict, "Silence being created", result.Message);
            case OncallOutcome.AlreadyResolved:
                return Problem(StatusCodes.Status409Conflict, "Alert already resolved", $"Alert {id} is resolved; there is nothing to silence.");
            case OncallOutcome.NotFound:
                return NotFound(id);
            default:
                return Problem(StatusCodes.Status503ServiceUnavailable, "Silence not created", result.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnsilenceAsync(
        long id, IOncallActions actions, CancellationToken cancellationToken, string? by = null)
    {
        var who = string.IsNullOrWhiteSpace(by) ? "api" : by.Trim();
        var result = await actions.UnsilenceAsync(id, new Actor(who.Length > 200 ? who[..200] : who, ActorSources.Api), cancellationToken);
        return result.Outcome switch
        {
            OncallOutcome.Done or OncallOutcome.AlreadyDone => TypedResults.NoContent(),
            OncallOutcome.NotInThatState => Problem(StatusCodes.Status409Conflict, "Not silenced", $"Alert {id} has no silence to expire."),
            OncallOutcome.NotFound => NotFound(id),
            _ => Problem(StatusCodes.Status503ServiceUnavailable, "Silence not expired", result.Message),
        };
    }

    /// <summary>The problems of a request, by field (empty: valid), and its duration.</summary>
    internal static Dictionary<string, string[]> Validate(SilenceRequest request, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.By))
        {
            errors["by"] = ["is required: who silences"];
        }
        else if (request.By.Trim().Length > 200)
        {
            errors["by"] = ["must be at most 200 characters"];
        }

        if (string.IsNullOrWhiteSpace(request.Duration))
        {
            errors["duration"] = ["is required: a Prometheus duration such as 1h, 30m or 1d"];
        }
        else if (!PrometheusDuration.TryParse(request.Duration.Trim(), out duration, out var error))
        {
            errors["duration"] = [$"{error} (a Prometheus duration such as 1h, 30m or 1d)"];
        }
        else if (duration <= TimeSpan.Zero || duration > AlertmanagerOptions.MaxSilenceDuration)
        {
            errors["duration"] = ["must be more than 0 and at most 7d"];
        }

        if (request.Comment is { Length: > 2000 })
        {
            errors["comment"] = ["must be at most 2000 characters"];
        }

        return errors;
    }

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(title: "Alert not found", detail: $"No alert occurrence has id {id}.", statusCode: StatusCodes.Status404NotFound);
}

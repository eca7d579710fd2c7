using System.Diagnostics;
using AlertRelay.Api.Contracts;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>Acknowledgement of alert occurrences: <c>POST</c> and <c>DELETE /api/alerts/{id}/ack</c> (API token required).</summary>
public static class AckEndpoints
{
    public static IEndpointRouteBuilder MapAckEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/alerts/{id:long}/ack").WithTags("Acknowledgement").RequireReadToken();

        group.MapPost("/", AcknowledgeAsync)
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledge a firing alert: its escalation stops")
            .WithDescription("`by` is required; `expiresAt` (RFC 3339, in the future) makes the acknowledgement lapse so that escalation resumes. "
                + "Acknowledging again replaces the previous acknowledgement. A resolved alert cannot be acknowledged (409).")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapDelete("/", UnacknowledgeAsync)
            .WithName("UnacknowledgeAlert")
            .WithSummary("Take an acknowledgement back: escalation resumes with the steps that are due")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return routes;
    }

    private static async Task<Results<Ok<AlertResponse>, ValidationProblem, ProblemHttpResult>> AcknowledgeAsync(
        long id, AckRequest request, IAcknowledgements store, IAlertQueries queries, TimeProvider time, ApiMetrics metrics, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.By))
        {
            errors["by"] = ["is required: who acknowledges"];
        }
        else if (request.By.Length > 200)
        {
            errors["by"] = ["must be at most 200 characters"];
        }

        if (request.Comment is { Length: > 2000 })
        {
            errors["comment"] = ["must be at most 2000 characters"];
        }

        if (request.ExpiresAt is { } expires && expires <= now)
        {
            errors["expiresAt"] = ["must be in the future"];
        }

        if (errors.Count > 0)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "invalid_query" } });
            return TypedResults.ValidationProblem(errors, title: "Invalid acknowledgement");
        }

        var outcome = await store.AcknowledgeAsync(id, request.By!.Trim(), request.Comment, request.ExpiresAt, now, cancellationToken);
        return outcome switch
        {
            AckOutcome.Done => TypedResults.Ok((await queries.GetAsync(id, cancellationToken))!.Value.Alert.AsResponse()),
            AckOutcome.AlreadyResolved => TypedResults.Problem(title: "Alert already resolved", detail: $"Alert {id} is resolved; there is nothing to acknowledge.", statusCode: StatusCodes.Status409Conflict),
            _ => NotFound(id),
        };
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UnacknowledgeAsync(
        long id, IAcknowledgements store, TimeProvider time, CancellationToken cancellationToken, string? by = null)
    {
        var outcome = await store.UnacknowledgeAsync(id, by, time.GetUtcNow(), cancellationToken);
        return outcome switch
        {
            AckOutcome.Done => TypedResults.NoContent(),
            AckOutcome.NotAcknowledged => TypedResults.Problem(title: "Not acknowledged", detail: $"Alert {id} has no acknowledgement to take back.", statusCode: StatusCodes.Status409Conflict),
            _ => NotFound(id),
        };
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(title: "Alert not found", detail: $"No alert occurrence has id {id}.", statusCode: StatusCodes.Status404NotFound);
}

using AlertRelay.Core.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (the history database answers).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Health");
        group.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("ok")))
            .WithSummary("Liveness: the process is up");
        group.MapGet("/readyz", ReadyAsync)
            .WithSummary("Readiness: the history database is reachable");
        return routes;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> ReadyAsync(
        HistoryDatabase database, CancellationToken cancellationToken) =>
        await database.IsReachableAsync(cancellationToken)
            ? TypedResults.Ok(new HealthResponse("ready"))
            : TypedResults.Json(new HealthResponse("database unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>The body of the health endpoints.</summary>
public sealed record HealthResponse(string Status);

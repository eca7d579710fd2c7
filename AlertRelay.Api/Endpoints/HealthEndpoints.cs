using AlertRelay.Core.History;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (AlertRelay can accept alerts: the history database answers and can
/// take writes). Readiness never depends on Slack or SMTP: while they are down the outbox keeps the notifications, and
/// Alertmanager must go on delivering alerts to AlertRelay.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Health");
        group.MapGet("/healthz", () => TypedResults.Ok(new HealthResponse("ok")))
            .WithSummary("Liveness: the process is up");
        group.MapGet("/readyz", ReadyAsync)
            .WithSummary("Readiness: webhooks can be stored (the history database answers and takes writes)");
        return routes;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> ReadyAsync(
        IStoreHealth store, CancellationToken cancellationToken) =>
        await store.WriteBlockerAsync(cancellationToken) is { } blocker
            ? TypedResults.Json(new HealthResponse($"not ready: {blocker}"), statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthResponse("ready"));
}

/// <summary>The body of the health endpoints.</summary>
public sealed record HealthResponse(string Status);

using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>
/// <c>/healthz</c> (the process answers) and <c>/readyz</c> (AlertRelay can accept alerts: the history database answers and can
/// take writes, and the inbox is not full). Readiness never depends on Slack or SMTP: while they are down the outbox keeps the notifications, and
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
        IStoreHealth store, InboxAppender inbox, CancellationToken cancellationToken)
    {
        if (await store.WriteBlockerAsync(cancellationToken) is { } blocker)
        {
            return TypedResults.Json(new HealthResponse($"not ready: {blocker}"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        // A full inbox answers webhooks 503 until the writer catches up: a load balancer should send them to another replica.
        return inbox.IsFull
            ? TypedResults.Json(new HealthResponse($"not ready: the inbox is full ({inbox.BacklogAlerts} alerts waiting to be applied)"),
                statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(new HealthResponse("ready"));
    }
}

/// <summary>The body of the health endpoints.</summary>
public sealed record HealthResponse(string Status);

using System.Diagnostics;
using System.Globalization;
using AlertRelay.Api.Hosting;
using AlertRelay.Api.Security;
using AlertRelay.Core.Notify;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary>The notification outbox under <c>/api/notifications</c>: listing by status and retrying dead letters (API token).</summary>
public static class NotificationEndpoints
{
    private static readonly string[] Statuses = ["pending", "sent", "dead"];

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("Notifications").RequireReadToken();

        group.MapGet("/", ListAsync)
            .WithName("ListNotifications")
            .WithSummary("Notifications, newest first; filter by status (pending, sent, dead)")
            .WithDescription("Pass the last id of a page as `before` for the next one.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        group.MapPost("/{id:long}/retry", RetryAsync)
            .WithName("RetryNotification")
            .WithSummary("Queue a dead notification again (attempts reset)")
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationRecord>>, ValidationProblem>> ListAsync(
        OutboxQueries outbox, ApiMetrics metrics, CancellationToken cancellationToken, string? status = null, string? limit = null, string? before = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !Statuses.Contains(status))
        {
            errors["status"] = [$"unknown status \"{status}\"; expected pending, sent or dead"];
        }

        var take = QueryParameters.Limit(errors, limit, 100, OutboxQueries.MaxLimit);

        long? beforeId = null;
        if (before is not null)
        {
            if (long.TryParse(before, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                beforeId = parsed;
            }
            else
            {
                errors["before"] = ["must be a notification id"];
            }
        }

        if (errors.Count > 0)
        {
            metrics.Rejected.Add(1, new TagList { { "reason", "invalid_query" } });
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        return TypedResults.Ok(await outbox.ListAsync(status, take, beforeId, cancellationToken));
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> RetryAsync(
        long id, OutboxQueries outbox, TimeProvider time, CancellationToken cancellationToken) =>
        await outbox.RetryAsync(id, time.GetUtcNow(), cancellationToken) switch
        {
            RetryOutcome.Queued => TypedResults.Accepted($"/api/notifications?status=pending"),
            RetryOutcome.NotDead => TypedResults.Problem(title: "Not a dead letter", detail: $"Notification {id} is pending or sent; only dead ones are retried.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem(title: "Notification not found", detail: $"No notification has id {id}.", statusCode: StatusCodes.Status404NotFound),
        };
}

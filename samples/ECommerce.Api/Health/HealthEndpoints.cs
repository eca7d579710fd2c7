using Dapper;
using ECommerce.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ECommerce.Api.Health;

/// <summary><c>/api/health</c>: the process answers and its database does too.</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/health").WithTags("Health").MapGet("/", CheckAsync).WithSummary("Liveness and database check");
        return routes;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> CheckAsync(
        ShopDatabase database, CancellationToken cancellationToken)
    {
        try
        {
            await database.RunAsync(connection => connection.ExecuteScalar<long>("SELECT 1"), cancellationToken);
            return TypedResults.Ok(new HealthResponse("ok", "ok"));
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            return TypedResults.Json(new HealthResponse("degraded", exception.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

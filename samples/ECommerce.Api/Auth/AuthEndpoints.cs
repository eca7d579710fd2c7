using ECommerce.Api.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ECommerce.Api.Auth;

/// <summary><c>POST /api/auth/login</c>: trades a user name and password for a bearer token.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/login", LoginAsync).WithSummary("Log in; answers a bearer token");
        return routes;
    }

    private static async Task<Results<Ok<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        LoginRequest request,
        AccountStore accounts,
        ActiveUserTracker activeUsers,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            errors["username"] = ["is required"];
        }

        if (string.IsNullOrEmpty(request.Password))
        {
            errors["password"] = ["is required"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var user = await accounts.VerifyPasswordAsync(request.Username!.Trim(), request.Password!, cancellationToken);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong user name or password");
        }

        var issued = await accounts.IssueTokenAsync(user, time.GetUtcNow(), cancellationToken);
        activeUsers.Seen(user.Id);
        return TypedResults.Ok(new LoginResponse(issued.Token, "Bearer", issued.ExpiresAt, user.Username));
    }
}

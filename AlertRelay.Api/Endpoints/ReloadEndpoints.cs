using AlertRelay.Api.Security;
using AlertRelay.Core.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AlertRelay.Api.Endpoints;

/// <summary><c>POST /-/reload</c>: re-reads the configuration file; an invalid file is rejected and the running one stays.</summary>
public static class ReloadEndpoints
{
    public static IEndpointRouteBuilder MapReloadEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/-/reload", Reload)
            .WithTags("Configuration")
            .WithName("ReloadConfiguration")
            .WithSummary("Reload the configuration file (also on SIGHUP)")
            .WithDescription("200 when the new file is in force. 500 with every error (file:line: path: message) when it is invalid: "
                + "the running configuration stays, as with Prometheus and Alertmanager. Requires the API token.")
            .RequireReadToken();
        return routes;
    }

    private static Results<Ok<ReloadResponse>, ProblemHttpResult> Reload(RelayConfigProvider config)
    {
        var errors = config.Reload();
        if (errors.Count == 0)
        {
            var current = config.Current;
            return TypedResults.Ok(new ReloadResponse("success", config.Path, current.Receivers.Count, current.InhibitRules.Count, current.Escalations.Count));
        }

        return TypedResults.Problem(
            title: "Configuration reload failed",
            detail: "The running configuration stays in force.",
            statusCode: StatusCodes.Status500InternalServerError,
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => e.ToString()).ToArray() });
    }
}

/// <summary>The answer to a successful reload.</summary>
public sealed record ReloadResponse(string Status, string? File, int Receivers, int InhibitRules, int Escalations);

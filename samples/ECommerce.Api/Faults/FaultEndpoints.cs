using ECommerce.Api.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ECommerce.Api.Faults;

/// <summary><c>/admin/faults</c>: read, replace (PUT) and clear (DELETE) the injected faults at run time (admin token required).</summary>
public static class FaultEndpoints
{
    public static IEndpointRouteBuilder MapFaultEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin/faults").WithTags("Admin").AddEndpointFilter<AdminTokenFilter>();
        group.MapGet("/", Get).WithSummary("The faults in force");
        group.MapPut("/", Replace).WithSummary("Replace the faults: a rule per route template, and a global rule for the other routes");
        group.MapDelete("/", Clear).WithSummary("Remove every fault");
        return routes;
    }

    private static Ok<FaultSettings> Get(FaultInjector faults) => TypedResults.Ok(faults.Current);

    private static Results<Ok<FaultSettings>, ValidationProblem> Replace(
        FaultSettings settings, FaultInjector faults, EndpointDataSource endpoints, ILogger<FaultInjector> logger)
    {
        var errors = settings.Validate().ToDictionary(p => p.Key, p => new[] { p.Value });
        var known = KnownRoutes(endpoints);
        foreach (var route in settings.Routes.Keys.Where(r => !known.Contains(r)))
        {
            errors[$"routes[{route}]"] = [$"not a route faults apply to; use one of: {string.Join(", ", known.Order(StringComparer.Ordinal))}"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var current = faults.Replace(settings);
        logger.LogWarning("Fault injection changed: global {global}, routes {routes}",
            current.Global, string.Join(", ", current.Routes.Select(r => $"{r.Key} {r.Value}")));
        return TypedResults.Ok(current);
    }

    private static Ok<FaultSettings> Clear(FaultInjector faults, ILogger<FaultInjector> logger)
    {
        logger.LogWarning("Fault injection cleared");
        return TypedResults.Ok(faults.Replace(new FaultSettings()));
    }

    private static HashSet<string> KnownRoutes(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>().Select(RouteLabels.For).Where(FaultInjector.Applies)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}

namespace ECommerce.Api.Monitoring;

/// <summary>Counts every request and observes its duration exactly once, labelled by method, route template and status.</summary>
public sealed class RequestMetricsMiddleware(RequestDelegate next, ShopMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var feature = new RouteLabelFeature();
        context.Features.Set(feature);
        var started = time.GetTimestamp();
        var threw = false;
        try
        {
            await next(context);
        }
        catch
        {
            threw = true;
            throw;
        }
        finally
        {
            // An exception that escapes reaches the server, which answers 500 unless the response had started.
            var status = threw && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var route = feature.Route ?? RouteLabels.For(context.GetEndpoint());
            metrics.ObserveRequest(context.Request.Method, route, status, time.GetElapsedTime(started));
        }
    }

    /// <summary>Records the route label once routing has matched (goes right after <c>UseRouting</c>).</summary>
    public static Task CaptureRouteAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<RouteLabelFeature>() is { } feature)
        {
            feature.Route = RouteLabels.For(context.GetEndpoint());
        }

        return next(context);
    }
}

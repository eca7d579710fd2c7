using ECommerce.Api.Monitoring;

namespace ECommerce.Api.Faults;

/// <summary>Applies the fault injector's decision: waits the added latency, then answers the injected error or goes on.</summary>
public sealed class FaultInjectionMiddleware(RequestDelegate next, FaultInjector faults, TimeProvider time)
{
    /// <summary>The status recorded when the client leaves during an injected delay (nginx's "client closed request").</summary>
    public const int ClientClosedRequest = 499;

    public async Task InvokeAsync(HttpContext context)
    {
        var route = RouteLabels.For(context.GetEndpoint());
        if (!FaultInjector.Applies(route))
        {
            await next(context);
            return;
        }

        var decision = faults.Decide(route);
        if (decision.Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(decision.Latency, time, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                context.Response.StatusCode = ClientClosedRequest;
                return;
            }
        }

        if (decision.ErrorStatus is { } status)
        {
            context.Response.Headers["X-Fault-Injected"] = "true";
            await TypedResults.Problem(
                statusCode: status,
                title: "Injected fault",
                detail: $"Fault injection (/admin/faults) failed this request to {route}.").ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}

using System.Diagnostics;
using AlertRelay.Api.Hosting;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Security;

/// <summary>The two guards of the API: the webhook token and the read token.</summary>
public sealed class TokenGuard(IOptions<AuthOptions> options)
{
    public BearerToken Webhook { get; } = new(options.Value.ResolveWebhookToken());

    public BearerToken Read { get; } = new(options.Value.ResolveReadToken());
}

/// <summary>Endpoint filters that answer 401 unless the request carries the right bearer token.</summary>
public static class TokenFilters
{
    public static TBuilder RequireWebhookToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static (context, next) =>
            Check(context, next, context.HttpContext.RequestServices.GetRequiredService<TokenGuard>().Webhook));

    public static TBuilder RequireReadToken<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static (context, next) =>
            Check(context, next, context.HttpContext.RequestServices.GetRequiredService<TokenGuard>().Read));

    private static ValueTask<object?> Check(EndpointFilterInvocationContext context, EndpointFilterDelegate next, BearerToken token)
    {
        var http = context.HttpContext;
        if (token.Accepts(http.Request.Headers.Authorization))
        {
            return next(context);
        }

        http.RequestServices.GetRequiredService<ApiMetrics>().Rejected.Add(1, new TagList { { "reason", "unauthorized" } });
        http.Response.Headers.WWWAuthenticate = "Bearer realm=\"alertrelay\"";
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            title: "Unauthorized",
            detail: "A valid bearer token is required.",
            statusCode: StatusCodes.Status401Unauthorized));
    }
}

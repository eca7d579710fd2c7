using System.Net;
using System.Security.Cryptography;
using System.Text;
using ECommerce.Api.Hosting;
using Microsoft.Extensions.Options;

namespace ECommerce.Api.Faults;

/// <summary>
/// Guards <c>/admin/*</c>: with <c>ECommerce:AdminToken</c> set, requests must send <c>Authorization: Bearer &lt;token&gt;</c>
/// (or <c>X-Admin-Token</c>); with it empty, only loopback clients get in.
/// </summary>
public sealed class AdminTokenFilter(IOptions<ECommerceOptions> options) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = options.Value.AdminToken;
        if (string.IsNullOrEmpty(expected))
        {
            return IsLoopback(http.Connection.RemoteIpAddress)
                ? await next(context)
                : TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Admin endpoints are open to loopback clients only",
                    detail: "Set ECommerce:AdminToken to use them from elsewhere.");
        }

        if (Matches(PresentedToken(http.Request), expected))
        {
            return await next(context);
        }

        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The admin token is missing or wrong");
    }

    private static string? PresentedToken(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Headers["X-Admin-Token"].FirstOrDefault();
    }

    private static bool Matches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}

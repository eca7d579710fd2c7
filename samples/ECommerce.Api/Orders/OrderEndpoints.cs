using System.Security.Claims;
using ECommerce.Api.Auth;
using ECommerce.Api.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ECommerce.Api.Orders;

/// <summary>Orders under <c>/api/orders</c> (bearer token required): place one from the cart, list them.</summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization();
        group.MapPost("/", PlaceAsync).WithSummary("Order the cart: 201, or 409 when some product is out of stock");
        group.MapGet("/", ListAsync).WithSummary($"The user's latest orders, newest first");
        return routes;
    }

    private static async Task<Results<Created<OrderResponse>, ProblemHttpResult, Conflict<ProblemDetails>>> PlaceAsync(
        ClaimsPrincipal user, OrderStore orders, ShopMetrics metrics, TimeProvider time, CancellationToken cancellationToken)
    {
        var result = await orders.PlaceAsync(user.UserId(), time.GetUtcNow(), cancellationToken);
        switch (result.Outcome)
        {
            case PlaceOrderOutcome.Created:
                metrics.OrderCreated();
                return TypedResults.Created($"/api/orders/{result.Order!.Id}", OrderResponse.From(result.Order));
            case PlaceOrderOutcome.EmptyCart:
                metrics.OrderFailed();
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The cart is empty");
            default:
                metrics.OrderFailed();
                var problem = new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "Out of stock",
                    Detail = string.Join("; ", result.Shortages.Select(s => $"{s.Name}: {s.Requested} requested, {s.Available} in stock")),
                };
                problem.Extensions["shortages"] = result.Shortages;
                return TypedResults.Conflict(problem);
        }
    }

    private static async Task<Ok<OrderResponse[]>> ListAsync(ClaimsPrincipal user, OrderStore orders, CancellationToken cancellationToken) =>
        TypedResults.Ok((await orders.ListAsync(user.UserId(), cancellationToken)).Select(OrderResponse.From).ToArray());
}

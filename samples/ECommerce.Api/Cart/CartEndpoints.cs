using System.Security.Claims;
using ECommerce.Api.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ECommerce.Api.Cart;

/// <summary>The signed-in user's cart under <c>/api/cart</c> (bearer token required).</summary>
public static class CartEndpoints
{
    public static IEndpointRouteBuilder MapCartEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cart").WithTags("Cart").RequireAuthorization();
        group.MapGet("/", GetAsync).WithSummary("The cart");
        group.MapPost("/items", AddAsync).WithSummary("Add units of a product to the cart; answers the cart");
        group.MapDelete("/items/{productId}", RemoveAsync).WithSummary("Remove a product from the cart");
        return routes;
    }

    private static async Task<Ok<CartResponse>> GetAsync(ClaimsPrincipal user, CartStore carts, CancellationToken cancellationToken) =>
        TypedResults.Ok(CartResponse.From(await carts.GetAsync(user.UserId(), cancellationToken)));

    private static async Task<Results<Ok<CartResponse>, NotFound<ProblemDetails>, ValidationProblem>> AddAsync(
        AddCartItemRequest request, ClaimsPrincipal user, CartStore carts, TimeProvider time, CancellationToken cancellationToken)
    {
        var quantity = request.Quantity ?? 1;
        if (quantity is < 1 or > CartStore.MaxLineQuantity)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["quantity"] = [$"must be 1 to {CartStore.MaxLineQuantity}"],
            });
        }

        var (outcome, lines) = await carts.AddAsync(user.UserId(), request.ProductId, quantity, time.GetUtcNow(), cancellationToken);
        return outcome switch
        {
            AddToCartOutcome.Added => TypedResults.Ok(CartResponse.From(lines)),
            AddToCartOutcome.ProductNotFound => TypedResults.NotFound(new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "No such product",
                Detail = $"No product has id {request.ProductId}.",
            }),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["quantity"] = [$"the cart line would hold more than {CartStore.MaxLineQuantity} units"],
            }),
        };
    }

    private static async Task<Results<NoContent, NotFound>> RemoveAsync(
        long productId, ClaimsPrincipal user, CartStore carts, CancellationToken cancellationToken) =>
        await carts.RemoveAsync(user.UserId(), productId, cancellationToken) ? TypedResults.NoContent() : TypedResults.NotFound();
}

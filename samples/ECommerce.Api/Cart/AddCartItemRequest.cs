namespace ECommerce.Api.Cart;

/// <summary>The body of <c>POST /api/cart/items</c>: a product and how many units (1 unless told).</summary>
public sealed record AddCartItemRequest(long ProductId, int? Quantity);

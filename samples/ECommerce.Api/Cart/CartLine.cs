namespace ECommerce.Api.Cart;

/// <summary>One product in a cart: how many, at the product's current price.</summary>
public sealed record CartLine(long ProductId, string Name, long UnitPriceCents, long Quantity);

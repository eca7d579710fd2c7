namespace ECommerce.Api.Cart;

/// <summary>A cart line in API answers.</summary>
public sealed record CartLineResponse(long ProductId, string Name, decimal UnitPrice, long Quantity, decimal LineTotal)
{
    public static CartLineResponse From(CartLine line) =>
        new(line.ProductId, line.Name, line.UnitPriceCents / 100m, line.Quantity, line.UnitPriceCents * line.Quantity / 100m);
}

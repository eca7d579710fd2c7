namespace ECommerce.Api.Cart;

/// <summary>A cart in API answers: its lines, the number of units and the total price.</summary>
public sealed record CartResponse(IReadOnlyList<CartLineResponse> Items, long Units, decimal Total)
{
    public static CartResponse From(IReadOnlyList<CartLine> lines) => new(
        lines.Select(CartLineResponse.From).ToArray(),
        lines.Sum(l => l.Quantity),
        lines.Sum(l => l.UnitPriceCents * l.Quantity) / 100m);
}

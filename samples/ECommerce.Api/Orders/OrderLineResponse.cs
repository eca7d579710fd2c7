namespace ECommerce.Api.Orders;

/// <summary>An order line in API answers.</summary>
public sealed record OrderLineResponse(long ProductId, string Name, decimal UnitPrice, long Quantity)
{
    public static OrderLineResponse From(OrderLine line) => new(line.ProductId, line.Name, line.UnitPriceCents / 100m, line.Quantity);
}

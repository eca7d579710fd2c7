namespace ECommerce.Api.Orders;

/// <summary>One product in an order, at the price it was ordered for.</summary>
public sealed record OrderLine(long ProductId, string Name, long UnitPriceCents, long Quantity);

namespace ECommerce.Api.Orders;

/// <summary>A cart line the stock cannot cover.</summary>
public sealed record StockShortage(long ProductId, string Name, long Requested, long Available);

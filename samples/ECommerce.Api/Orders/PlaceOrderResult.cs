namespace ECommerce.Api.Orders;

/// <summary>The result of placing an order: the outcome, the order when created, the shortages when out of stock.</summary>
public sealed record PlaceOrderResult(PlaceOrderOutcome Outcome, Order? Order, IReadOnlyList<StockShortage> Shortages);

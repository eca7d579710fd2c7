namespace ECommerce.Api.Orders;

/// <summary>A placed order.</summary>
public sealed record Order(long Id, DateTimeOffset CreatedAt, string Status, long TotalCents, IReadOnlyList<OrderLine> Lines);

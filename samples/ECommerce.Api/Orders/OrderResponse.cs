namespace ECommerce.Api.Orders;

/// <summary>An order in API answers.</summary>
public sealed record OrderResponse(long Id, DateTimeOffset CreatedAt, string Status, decimal Total, IReadOnlyList<OrderLineResponse> Items)
{
    public static OrderResponse From(Order order) => new(
        order.Id, order.CreatedAt, order.Status, order.TotalCents / 100m, order.Lines.Select(OrderLineResponse.From).ToArray());
}

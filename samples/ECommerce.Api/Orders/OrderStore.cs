using Dapper;
using ECommerce.Api.Data;

namespace ECommerce.Api.Orders;

/// <summary>Turns carts into orders, taking the stock in the same transaction, and lists a user's orders.</summary>
public sealed class OrderStore(ShopDatabase database)
{
    /// <summary>How many orders <see cref="ListAsync"/> answers at most.</summary>
    public const int ListLimit = 50;

    /// <summary>
    /// Orders everything in <paramref name="userId"/>'s cart: either every line is in stock and the order is created,
    /// the stock decremented and the cart emptied, or nothing changes.
    /// </summary>
    public Task<PlaceOrderResult> PlaceAsync(long userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.RunAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            var lines = connection.Query<CartStockRow>("""
                SELECT ci.product_id AS ProductId, p.name AS Name, p.price_cents AS UnitPriceCents,
                       ci.quantity AS Quantity, p.stock AS Stock
                FROM cart_items ci JOIN products p ON p.id = ci.product_id
                WHERE ci.user_id = @userId
                ORDER BY ci.added_at, ci.product_id
                """, new { userId }, transaction).AsList();
            if (lines.Count == 0)
            {
                return new PlaceOrderResult(PlaceOrderOutcome.EmptyCart, null, []);
            }

            var shortages = lines.Where(l => l.Quantity > l.Stock)
                .Select(l => new StockShortage(l.ProductId, l.Name, l.Quantity, l.Stock)).ToArray();
            if (shortages.Length > 0)
            {
                return new PlaceOrderResult(PlaceOrderOutcome.OutOfStock, null, shortages);
            }

            var total = lines.Sum(l => l.UnitPriceCents * l.Quantity);
            var orderId = connection.ExecuteScalar<long>("""
                INSERT INTO orders (user_id, created_at, total_cents, status) VALUES (@userId, @now, @total, 'created')
                RETURNING id
                """, new { userId, now = now.ToUnixTimeMilliseconds(), total }, transaction);
            foreach (var line in lines)
            {
                connection.Execute("""
                    INSERT INTO order_items (order_id, product_id, name, unit_price_cents, quantity)
                    VALUES (@orderId, @ProductId, @Name, @UnitPriceCents, @Quantity)
                    """, new { orderId, line.ProductId, line.Name, line.UnitPriceCents, line.Quantity }, transaction);
                connection.Execute(
                    "UPDATE products SET stock = stock - @Quantity WHERE id = @ProductId", new { line.ProductId, line.Quantity }, transaction);
            }

            connection.Execute("DELETE FROM cart_items WHERE user_id = @userId", new { userId }, transaction);
            transaction.Commit();

            var orderLines = lines.Select(l => new OrderLine(l.ProductId, l.Name, l.UnitPriceCents, l.Quantity)).ToArray();
            var order = new Order(orderId, DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), "created", total, orderLines);
            return new PlaceOrderResult(PlaceOrderOutcome.Created, order, []);
        }, cancellationToken);

    /// <summary>The user's latest orders, newest first.</summary>
    public Task<IReadOnlyList<Order>> ListAsync(long userId, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Order>>(connection =>
        {
            var orders = connection.Query<OrderRow>("""
                SELECT id AS Id, created_at AS CreatedAt, status AS Status, total_cents AS TotalCents
                FROM orders WHERE user_id = @userId ORDER BY id DESC LIMIT @limit
                """, new { userId, limit = ListLimit }).AsList();
            if (orders.Count == 0)
            {
                return [];
            }

            var lines = connection.Query<OrderItemRow>("""
                SELECT order_id AS OrderId, product_id AS ProductId, name AS Name, unit_price_cents AS UnitPriceCents, quantity AS Quantity
                FROM order_items WHERE order_id IN @ids ORDER BY order_id, rowid
                """, new { ids = orders.Select(o => o.Id).ToArray() }).ToLookup(l => l.OrderId);
            return orders.Select(o => new Order(
                o.Id,
                DateTimeOffset.FromUnixTimeMilliseconds(o.CreatedAt),
                o.Status,
                o.TotalCents,
                lines[o.Id].Select(l => new OrderLine(l.ProductId, l.Name, l.UnitPriceCents, l.Quantity)).ToArray())).ToArray();
        }, cancellationToken);

    private sealed record CartStockRow(long ProductId, string Name, long UnitPriceCents, long Quantity, long Stock);

    private sealed record OrderRow(long Id, long CreatedAt, string Status, long TotalCents);

    private sealed record OrderItemRow(long OrderId, long ProductId, string Name, long UnitPriceCents, long Quantity);
}

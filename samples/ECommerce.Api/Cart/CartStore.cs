using Dapper;
using ECommerce.Api.Data;

namespace ECommerce.Api.Cart;

/// <summary>Each user's cart: lines of product and quantity, kept until an order takes them.</summary>
public sealed class CartStore(ShopDatabase database)
{
    /// <summary>The most units of one product a cart line may hold.</summary>
    public const int MaxLineQuantity = 100;

    private const string LinesSql = """
        SELECT ci.product_id AS ProductId, p.name AS Name, p.price_cents AS UnitPriceCents, ci.quantity AS Quantity
        FROM cart_items ci JOIN products p ON p.id = ci.product_id
        WHERE ci.user_id = @userId
        ORDER BY ci.added_at, ci.product_id
        """;

    /// <summary>The lines of <paramref name="userId"/>'s cart, oldest first.</summary>
    public Task<IReadOnlyList<CartLine>> GetAsync(long userId, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<CartLine>>(connection => connection.Query<CartLine>(LinesSql, new { userId }).AsList(), cancellationToken);

    /// <summary>Adds <paramref name="quantity"/> units of a product (stock is checked when ordering); answers the cart after it.</summary>
    public Task<(AddToCartOutcome Outcome, IReadOnlyList<CartLine> Lines)> AddAsync(
        long userId, long productId, int quantity, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.RunAsync<(AddToCartOutcome, IReadOnlyList<CartLine>)>(connection =>
        {
            var outcome = Add(connection, userId, productId, quantity, now);
            return (outcome, connection.Query<CartLine>(LinesSql, new { userId }).AsList());
        }, cancellationToken);

    /// <summary>Removes a product's line; false when the cart had none.</summary>
    public Task<bool> RemoveAsync(long userId, long productId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => connection.Execute(
            "DELETE FROM cart_items WHERE user_id = @userId AND product_id = @productId", new { userId, productId }) > 0,
            cancellationToken);

    private static AddToCartOutcome Add(Microsoft.Data.Sqlite.SqliteConnection connection, long userId, long productId, int quantity, DateTimeOffset now)
    {
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM products WHERE id = @productId", new { productId }) == 0)
        {
            return AddToCartOutcome.ProductNotFound;
        }

        var current = connection.ExecuteScalar<long?>(
            "SELECT quantity FROM cart_items WHERE user_id = @userId AND product_id = @productId", new { userId, productId }) ?? 0;
        if (current + quantity > MaxLineQuantity)
        {
            return AddToCartOutcome.TooMany;
        }

        connection.Execute("""
            INSERT INTO cart_items (user_id, product_id, quantity, added_at) VALUES (@userId, @productId, @quantity, @now)
            ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity
            """, new { userId, productId, quantity, now = now.ToUnixTimeMilliseconds() });
        return AddToCartOutcome.Added;
    }
}

using Dapper;
using ECommerce.Api.Data;

namespace ECommerce.Api.Catalog;

/// <summary>Reads the catalogue (products, categories, stock) and refills stock that ran low.</summary>
public sealed class CatalogStore(ShopDatabase database)
{
    private const string ProductColumns = """
        p.id AS Id, p.name AS Name, p.description AS Description, c.slug AS Category,
        p.price_cents AS PriceCents, p.stock AS Stock
        """;

    /// <summary>Products by name, optionally of one category (by slug).</summary>
    public Task<ProductPage> ListAsync(string? category, int page, int pageSize, CancellationToken cancellationToken) =>
        database.RunAsync(connection =>
        {
            var parameters = new { category, limit = pageSize, offset = (page - 1) * pageSize };
            var total = connection.ExecuteScalar<long>("""
                SELECT COUNT(*) FROM products p JOIN categories c ON c.id = p.category_id
                WHERE @category IS NULL OR c.slug = @category
                """, parameters);
            var items = connection.Query<Product>($"""
                SELECT {ProductColumns}
                FROM products p JOIN categories c ON c.id = p.category_id
                WHERE @category IS NULL OR c.slug = @category
                ORDER BY p.name, p.id
                LIMIT @limit OFFSET @offset
                """, parameters).AsList();
            return new ProductPage(items, (int)total);
        }, cancellationToken);

    /// <summary>Products whose name or description contains <paramref name="text"/> (case-insensitive), by name.</summary>
    public Task<ProductPage> SearchAsync(string text, int page, int pageSize, CancellationToken cancellationToken) =>
        database.RunAsync(connection =>
        {
            var pattern = "%" + text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%";
            var parameters = new { pattern, limit = pageSize, offset = (page - 1) * pageSize };
            const string Where = @"WHERE p.name LIKE @pattern ESCAPE '\' OR p.description LIKE @pattern ESCAPE '\'";
            var total = connection.ExecuteScalar<long>(
                $"SELECT COUNT(*) FROM products p {Where}", parameters);
            var items = connection.Query<Product>($"""
                SELECT {ProductColumns}
                FROM products p JOIN categories c ON c.id = p.category_id
                {Where}
                ORDER BY p.name, p.id
                LIMIT @limit OFFSET @offset
                """, parameters).AsList();
            return new ProductPage(items, (int)total);
        }, cancellationToken);

    /// <summary>One product, or null.</summary>
    public Task<Product?> GetAsync(long productId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => connection.QuerySingleOrDefault<Product>($"""
            SELECT {ProductColumns}
            FROM products p JOIN categories c ON c.id = p.category_id
            WHERE p.id = @productId
            """, new { productId }), cancellationToken);

    /// <summary>Every category with its product count and units in stock (what the stock gauge reports).</summary>
    public Task<IReadOnlyList<Category>> CategoriesAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Category>>(connection => connection.Query<Category>("""
            SELECT c.slug AS Slug, c.name AS Name, COUNT(p.id) AS Products, COALESCE(SUM(p.stock), 0) AS UnitsInStock
            FROM categories c LEFT JOIN products p ON p.category_id = c.id
            GROUP BY c.id
            ORDER BY c.slug
            """).AsList(), cancellationToken);

    /// <summary>Refills to their restock level the products down to a quarter of it or less; returns how many.</summary>
    public Task<int> RestockAsync(CancellationToken cancellationToken) =>
        database.RunAsync(connection => connection.Execute(
            "UPDATE products SET stock = restock_level WHERE stock * 4 <= restock_level AND stock < restock_level"),
            cancellationToken);
}

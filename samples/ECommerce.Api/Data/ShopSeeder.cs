using System.Globalization;
using Dapper;
using ECommerce.Api.Auth;
using ECommerce.Api.Hosting;
using Microsoft.Data.Sqlite;

namespace ECommerce.Api.Data;

/// <summary>Fills an empty database with the seed catalogue and the demo users (user001, user002, ...).</summary>
public static class ShopSeeder
{
    /// <summary>The name of demo user number <paramref name="number"/> (1-based).</summary>
    public static string UserName(int number) => "user" + number.ToString("000", CultureInfo.InvariantCulture);

    /// <summary>Seeds what is missing: the catalogue if there are no products, users if there are none. Returns what it added.</summary>
    public static (int Products, int Users) Seed(SqliteConnection connection, ECommerceOptions options)
    {
        var products = 0;
        var users = 0;
        using var transaction = connection.BeginTransaction();
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM products", transaction: transaction) == 0)
        {
            foreach (var (slug, name) in SeedCatalog.Categories)
            {
                connection.Execute(
                    "INSERT OR IGNORE INTO categories (slug, name) VALUES (@slug, @name)", new { slug, name }, transaction);
            }

            foreach (var product in SeedCatalog.Products)
            {
                products += connection.Execute("""
                    INSERT INTO products (category_id, name, description, price_cents, stock, restock_level)
                    SELECT id, @Name, @Description, @PriceCents, @Stock, @Stock FROM categories WHERE slug = @Category
                    """,
                    new { product.Category, product.Name, product.Description, product.PriceCents, product.Stock },
                    transaction);
            }
        }

        if (options.SeedUsers > 0 && connection.ExecuteScalar<long>("SELECT COUNT(*) FROM users", transaction: transaction) == 0)
        {
            // PBKDF2 is slow on purpose: hash the users' passwords on every core.
            var hashes = new string[options.SeedUsers];
            Parallel.For(0, hashes.Length, i => hashes[i] = PasswordHasher.Hash(options.SeedPassword, options.PasswordIterations));
            for (var i = 0; i < hashes.Length; i++)
            {
                users += connection.Execute(
                    "INSERT INTO users (username, password_hash) VALUES (@username, @hash)",
                    new { username = UserName(i + 1), hash = hashes[i] },
                    transaction);
            }
        }

        transaction.Commit();
        return (products, users);
    }
}

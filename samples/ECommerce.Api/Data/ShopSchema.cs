namespace ECommerce.Api.Data;

/// <summary>The shop's tables. Prices are integer cents, times integer unix milliseconds.</summary>
public static class ShopSchema
{
    public const string CreateTables = """
        CREATE TABLE IF NOT EXISTS categories (
            id   INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS products (
            id            INTEGER PRIMARY KEY,
            category_id   INTEGER NOT NULL REFERENCES categories(id),
            name          TEXT NOT NULL,
            description   TEXT NOT NULL,
            price_cents   INTEGER NOT NULL CHECK (price_cents > 0),
            stock         INTEGER NOT NULL CHECK (stock >= 0),
            restock_level INTEGER NOT NULL CHECK (restock_level >= 0)
        );
        CREATE INDEX IF NOT EXISTS ix_products_category ON products (category_id, name);
        CREATE TABLE IF NOT EXISTS users (
            id            INTEGER PRIMARY KEY,
            username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sessions (
            token_hash TEXT PRIMARY KEY,
            user_id    INTEGER NOT NULL REFERENCES users(id),
            expires_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_sessions_expires ON sessions (expires_at);
        CREATE TABLE IF NOT EXISTS cart_items (
            user_id    INTEGER NOT NULL REFERENCES users(id),
            product_id INTEGER NOT NULL REFERENCES products(id),
            quantity   INTEGER NOT NULL CHECK (quantity > 0),
            added_at   INTEGER NOT NULL,
            PRIMARY KEY (user_id, product_id)
        );
        CREATE TABLE IF NOT EXISTS orders (
            id          INTEGER PRIMARY KEY,
            user_id     INTEGER NOT NULL REFERENCES users(id),
            created_at  INTEGER NOT NULL,
            total_cents INTEGER NOT NULL,
            status      TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_orders_user ON orders (user_id, id);
        CREATE TABLE IF NOT EXISTS order_items (
            order_id         INTEGER NOT NULL REFERENCES orders(id),
            product_id       INTEGER NOT NULL REFERENCES products(id),
            name             TEXT NOT NULL,
            unit_price_cents INTEGER NOT NULL,
            quantity         INTEGER NOT NULL,
            PRIMARY KEY (order_id, product_id)
        );
        """;
}

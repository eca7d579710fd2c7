namespace ECommerce.Api.Catalog;

/// <summary>A product as stored: price in cents, units in stock, category slug.</summary>
public sealed record Product(long Id, string Name, string Description, string Category, long PriceCents, long Stock);

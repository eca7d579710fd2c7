namespace ECommerce.Api.Catalog;

/// <summary>A product category with its number of products and the units they have in stock.</summary>
public sealed record Category(string Slug, string Name, long Products, long UnitsInStock);

namespace ECommerce.Api.Catalog;

/// <summary>One page of products, and how many products matched in all.</summary>
public sealed record ProductPage(IReadOnlyList<Product> Items, int Total);

namespace ECommerce.Api.Catalog;

/// <summary>A product in API answers.</summary>
public sealed record ProductResponse(long Id, string Name, string Description, string Category, decimal Price, long Stock)
{
    public static ProductResponse From(Product product) =>
        new(product.Id, product.Name, product.Description, product.Category, product.PriceCents / 100m, product.Stock);
}

namespace ECommerce.Api.Catalog;

/// <summary>A category in API answers.</summary>
public sealed record CategoryResponse(string Slug, string Name, long Products, long UnitsInStock)
{
    public static CategoryResponse From(Category category) =>
        new(category.Slug, category.Name, category.Products, category.UnitsInStock);
}

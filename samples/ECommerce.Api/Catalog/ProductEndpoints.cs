using Microsoft.AspNetCore.Http.HttpResults;

namespace ECommerce.Api.Catalog;

/// <summary>The public catalogue: <c>/api/products</c> (paged, by category), search, one product, and <c>/api/categories</c>.</summary>
public static class ProductEndpoints
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapProductEndpoints(this IEndpointRouteBuilder routes)
    {
        var products = routes.MapGroup("/api/products").WithTags("Catalog");
        products.MapGet("/", ListAsync).WithSummary("List products by name, paged, optionally of one category");
        products.MapGet("/search", SearchAsync).WithSummary("Find products whose name or description contains q");
        products.MapGet("/{productId:long}", GetAsync).WithSummary("One product");

        routes.MapGroup("/api/categories").WithTags("Catalog")
            .MapGet("/", CategoriesAsync).WithSummary("Categories with their product count and units in stock");
        return routes;
    }

    private static async Task<Results<Ok<ProductPageResponse>, ValidationProblem>> ListAsync(
        CatalogStore catalog, CancellationToken cancellationToken, string? category = null, int page = 1, int pageSize = DefaultPageSize)
    {
        var errors = PagingErrors(page, pageSize);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await catalog.ListAsync(string.IsNullOrWhiteSpace(category) ? null : category.Trim(), page, pageSize, cancellationToken);
        return TypedResults.Ok(PageResponse(found, page, pageSize));
    }

    private static async Task<Results<Ok<ProductPageResponse>, ValidationProblem>> SearchAsync(
        CatalogStore catalog, CancellationToken cancellationToken, string? q = null, int page = 1, int pageSize = DefaultPageSize)
    {
        var errors = PagingErrors(page, pageSize);
        var text = q?.Trim() ?? "";
        if (text.Length is < 2 or > 100)
        {
            errors["q"] = ["must be 2 to 100 characters"];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var found = await catalog.SearchAsync(text, page, pageSize, cancellationToken);
        return TypedResults.Ok(PageResponse(found, page, pageSize));
    }

    private static async Task<Results<Ok<ProductResponse>, NotFound>> GetAsync(
        long productId, CatalogStore catalog, CancellationToken cancellationToken) =>
        await catalog.GetAsync(productId, cancellationToken) is { } product
            ? TypedResults.Ok(ProductResponse.From(product))
            : TypedResults.NotFound();

    private static async Task<Ok<CategoryResponse[]>> CategoriesAsync(CatalogStore catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.CategoriesAsync(cancellationToken)).Select(CategoryResponse.From).ToArray());

    private static Dictionary<string, string[]> PagingErrors(int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["must be 1 or more"];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"must be 1 to {MaxPageSize}"];
        }

        return errors;
    }

    private static ProductPageResponse PageResponse(ProductPage found, int page, int pageSize) =>
        new(found.Items.Select(ProductResponse.From).ToArray(), page, pageSize, found.Total);
}

namespace ECommerce.Api.Catalog;

/// <summary>A page of products: the items, the page asked for and the total number of matches.</summary>
public sealed record ProductPageResponse(IReadOnlyList<ProductResponse> Items, int Page, int PageSize, int Total);

namespace ECommerce.Api.Cart;

/// <summary>What adding a product to a cart did.</summary>
public enum AddToCartOutcome
{
    /// <summary>The line was added, or its quantity raised.</summary>
    Added,

    /// <summary>No product has that id.</summary>
    ProductNotFound,

    /// <summary>The line would exceed <see cref="CartStore.MaxLineQuantity"/>.</summary>
    TooMany,
}

namespace ECommerce.Api.Orders;

/// <summary>Why an order was or was not placed.</summary>
public enum PlaceOrderOutcome
{
    /// <summary>The order exists, stock was taken and the cart emptied.</summary>
    Created,

    /// <summary>The cart had nothing to order.</summary>
    EmptyCart,

    /// <summary>Some line asks for more units than are in stock; nothing changed.</summary>
    OutOfStock,
}

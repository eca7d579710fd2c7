namespace ECommerce.LoadGen;

/// <summary>The names of the user journey's steps, in journey order (the report's rows).</summary>
public static class JourneySteps
{
    public const string Login = "login";
    public const string Browse = "browse";
    public const string Search = "search";
    public const string AddToCart = "add_to_cart";
    public const string RemoveFromCart = "remove_from_cart";
    public const string ViewCart = "view_cart";
    public const string Order = "order";
    public const string ListOrders = "list_orders";

    public static readonly string[] All = [Login, Browse, Search, AddToCart, RemoveFromCart, ViewCart, Order, ListOrders];
}

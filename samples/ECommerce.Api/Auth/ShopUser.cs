namespace ECommerce.Api.Auth;

/// <summary>A signed-in customer: database id and user name.</summary>
public sealed record ShopUser(long Id, string Username);

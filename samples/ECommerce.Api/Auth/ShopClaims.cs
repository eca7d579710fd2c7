using System.Globalization;
using System.Security.Claims;

namespace ECommerce.Api.Auth;

/// <summary>Reads the signed-in customer back from the principal that <see cref="BearerTokenHandler"/> builds.</summary>
public static class ShopClaims
{
    /// <summary>The customer's database id (endpoints that call this require authorization, so it is always there).</summary>
    public static long UserId(this ClaimsPrincipal principal) =>
        long.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The request has no authenticated user."), CultureInfo.InvariantCulture);

    /// <summary>The principal for <paramref name="user"/>.</summary>
    public static ClaimsPrincipal For(ShopUser user, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.Username),
            ],
            authenticationType));
}

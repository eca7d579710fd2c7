namespace ECommerce.Api.Auth;

/// <summary>A bearer token just issued, and when it stops being accepted.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset ExpiresAt);

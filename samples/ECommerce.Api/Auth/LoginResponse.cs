namespace ECommerce.Api.Auth;

/// <summary>A successful login: the bearer token to send as <c>Authorization: Bearer ...</c>, and its expiry.</summary>
public sealed record LoginResponse(string Token, string TokenType, DateTimeOffset ExpiresAt, string Username);

using System.Security.Cryptography;
using System.Text;

namespace AlertRelay.Api.Security;

/// <summary>A configured bearer token, compared in constant time (hashes first, so the length leaks nothing either).</summary>
public sealed class BearerToken
{
    private readonly byte[]? _expectedHash;

    public BearerToken(string? token) =>
        _expectedHash = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>False when no token is configured: the endpoint is open (local development).</summary>
    public bool IsRequired => _expectedHash is not null;

    /// <summary>True when the Authorization header carries the token as "Bearer &lt;token&gt;".</summary>
    public bool Accepts(string? authorizationHeader)
    {
        if (_expectedHash is null)
        {
            return true;
        }

        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorizationHeader.AsSpan(scheme.Length).Trim().ToString()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash);
    }
}

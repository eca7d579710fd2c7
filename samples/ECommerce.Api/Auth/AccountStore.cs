using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using ECommerce.Api.Data;
using ECommerce.Api.Hosting;
using Microsoft.Extensions.Options;

namespace ECommerce.Api.Auth;

/// <summary>
/// Users and their login tokens. A token is 32 random bytes handed to the client once; the server keeps only
/// its SHA-256, with an expiry, so a copy of the database yields no usable token.
/// </summary>
public sealed class AccountStore
{
    private readonly ShopDatabase _database;
    private readonly TimeSpan _lifetime;
    private readonly Lazy<string> _decoyHash;

    public AccountStore(ShopDatabase database, IOptions<ECommerceOptions> options)
    {
        _database = database;
        _lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
        var iterations = options.Value.PasswordIterations;
        _decoyHash = new Lazy<string>(() => PasswordHasher.Hash("decoy", iterations));
    }

    /// <summary>The user whose name and password these are, or null.</summary>
    public async Task<ShopUser?> VerifyPasswordAsync(string username, string password, CancellationToken cancellationToken)
    {
        var row = await _database.RunAsync(connection => connection.QuerySingleOrDefault<UserRow>(
            "SELECT id AS Id, username AS Username, password_hash AS PasswordHash FROM users WHERE username = @username",
            new { username }), cancellationToken);

        // Hash outside the database lock (it takes a while), and hash for unknown names too, so that the
        // answer's timing does not tell which user names exist.
        var matches = PasswordHasher.Verify(password, row?.PasswordHash ?? _decoyHash.Value);
        return row is not null && matches ? new ShopUser(row.Id, row.Username) : null;
    }

    /// <summary>Issues a new token for <paramref name="user"/>, valid from <paramref name="now"/> for the configured lifetime.</summary>
    public async Task<IssuedToken> IssueTokenAsync(ShopUser user, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now + _lifetime;
        await _database.RunAsync(connection =>
        {
            connection.Execute("DELETE FROM sessions WHERE expires_at <= @now", new { now = now.ToUnixTimeMilliseconds() });
            return connection.Execute(
                "INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (@hash, @userId, @expiresAt)",
                new { hash = HashOf(token), userId = user.Id, expiresAt = expiresAt.ToUnixTimeMilliseconds() });
        }, cancellationToken);
        return new IssuedToken(token, expiresAt);
    }

    /// <summary>The user a token belongs to, or null when it is unknown or expired at <paramref name="now"/>.</summary>
    public async Task<ShopUser?> FindByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await _database.RunAsync(connection => connection.QuerySingleOrDefault<SessionRow>("""
            SELECT u.id AS Id, u.username AS Username
            FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_hash = @hash AND s.expires_at > @now
            """, new { hash = HashOf(token), now = now.ToUnixTimeMilliseconds() }), cancellationToken);
        return row is null ? null : new ShopUser(row.Id, row.Username);
    }

    private static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private sealed record UserRow(long Id, string Username, string PasswordHash);

    private sealed record SessionRow(long Id, string Username);
}

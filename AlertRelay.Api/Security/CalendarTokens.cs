using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AlertRelay.Api.Security;

/// <summary>
/// The tokens of the iCalendar feeds (<c>/api/oncall/{schedule}.ics?token=...</c>). Calendar applications subscribe by URL and cannot
/// send a bearer header, so the URL carries the permission: an HMAC-SHA256 of the schedule name keyed with the read token. A feed URL
/// that leaks (calendar services store it, proxies log it) opens that one feed, never the rest of <c>/api/*</c>, and rotating the read
/// token revokes every feed URL. Without a read token the feeds are open, like the rest of the API.
/// </summary>
public sealed class CalendarTokens
{
    private readonly byte[]? _key;

    public CalendarTokens(IOptions<AuthOptions> options)
        : this(options.Value.ResolveReadToken())
    {
    }

    public CalendarTokens(string? readToken) =>
        _key = string.IsNullOrEmpty(readToken) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(readToken));

    /// <summary>False when no read token is configured: the feeds are open.</summary>
    public bool IsRequired => _key is not null;

    /// <summary>The feed token of <paramref name="schedule"/> (base64url, 43 characters), or null when none is needed.</summary>
    public string? For(string schedule) => _key is null ? null : Base64Url(Mac(schedule));

    /// <summary>Whether <paramref name="presented"/> is the feed token of <paramref name="schedule"/> (constant time); always true when open.</summary>
    public bool Accepts(string schedule, string? presented)
    {
        if (_key is null)
        {
            return true;
        }

        var expected = Encoding.ASCII.GetBytes(Base64Url(Mac(schedule)));
        var given = Encoding.UTF8.GetBytes(presented ?? "");
        return given.Length == expected.Length && CryptographicOperations.FixedTimeEquals(given, expected);
    }

    private byte[] Mac(string schedule) => HMACSHA256.HashData(_key!, Encoding.UTF8.GetBytes("alertrelay oncall calendar\n" + schedule));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

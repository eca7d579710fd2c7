using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlertRelay.Core.Oncall;

/// <summary>
/// The signature of a link: base64url HMAC-SHA256(secret, "{id}\n{action}\n{exp}"), exp in unix seconds. Pure: the secret and the
/// time are arguments.
/// </summary>
public static class LinkSignature
{
    private const int HmacBytes = 32;

    public static string Sign(byte[] secret, long occurrenceId, string action, long expiresAtSeconds) =>
        Base64Url.EncodeToString(Mac(secret, occurrenceId, action, expiresAtSeconds));

    /// <summary>
    /// Checks a link's parts as received (strings: they come from a URL or a form). The signature is checked before the expiry, so a
    /// changed expiry is <see cref="LinkVerdict.Tampered"/>; a link is expired from its <c>exp</c> second on.
    /// </summary>
    public static LinkVerdict Verify(byte[] secret, long occurrenceId, string? action, string? exp, string? sig, DateTimeOffset now)
    {
        if (occurrenceId <= 0 || LinkAction.Parse(action) is null
            || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            || sig is null || sig.Length != Base64Url.GetEncodedLength(HmacBytes) || !Base64Url.IsValid(sig))
        {
            return LinkVerdict.Malformed;
        }

        Span<byte> given = stackalloc byte[HmacBytes];
        if (!Base64Url.TryDecodeFromChars(sig, given, out var written) || written != HmacBytes)
        {
            return LinkVerdict.Malformed;
        }

        if (!CryptographicOperations.FixedTimeEquals(given, Mac(secret, occurrenceId, action!, expiresAt)))
        {
            return LinkVerdict.Tampered;
        }

        return now.ToUnixTimeSeconds() >= expiresAt ? LinkVerdict.Expired : LinkVerdict.Valid;
    }

    /// <summary>What the used-link store keys a link by: SHA-256 of its signature, hex (the signature itself is not kept).</summary>
    public static string TokenHash(string sig) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(sig)));

    private static byte[] Mac(byte[] secret, long occurrenceId, string action, long expiresAtSeconds) =>
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{occurrenceId}\n{action}\n{expiresAtSeconds}")));
}

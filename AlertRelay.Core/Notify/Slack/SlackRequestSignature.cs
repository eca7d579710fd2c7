using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AlertRelay.Core.Notify.Slack;

/// <summary>
/// Slack's request signing (v0): <c>X-Slack-Signature</c> = <c>v0=</c> + hex HMAC-SHA256(signing secret,
/// <c>v0:{X-Slack-Request-Timestamp}:{raw body}</c>), refused when the timestamp is more than five minutes from now.
/// </summary>
public static class SlackRequestSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";

    /// <summary>How far the request's timestamp may be from now, either way (Slack's own recommendation).</summary>
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private const string Version = "v0";

    /// <summary>The metric reason of a failed check: <c>missing</c>, <c>stale</c> or <c>bad_signature</c>.</summary>
    public static string Reason(SlackSignatureCheck check) => check switch
    {
        SlackSignatureCheck.Missing => "missing",
        SlackSignatureCheck.Stale => "stale",
        SlackSignatureCheck.BadSignature => "bad_signature",
        _ => "valid",
    };

    /// <summary>Checks a request's headers against its raw body; the comparison takes the same time wherever the signatures differ.</summary>
    public static SlackSignatureCheck Verify(
        string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(timestampHeader) || string.IsNullOrWhiteSpace(signatureHeader))
        {
            return SlackSignatureCheck.Missing;
        }

        // The exact digits Slack sent are what it signed: no sign, no spaces, no leading '+'.
        if (!timestampHeader.All(char.IsAsciiDigit) || timestampHeader.Length > 12
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return SlackSignatureCheck.BadSignature;
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if ((now - sent).Duration() > ReplayWindow)
        {
            return SlackSignatureCheck.Stale;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestampHeader, body));
        var actual = Encoding.UTF8.GetBytes(signatureHeader.Trim());
        return CryptographicOperations.FixedTimeEquals(expected, actual) ? SlackSignatureCheck.Valid : SlackSignatureCheck.BadSignature;
    }

    /// <summary>The <c>X-Slack-Signature</c> value Slack sends for <paramref name="body"/> at <paramref name="timestamp"/> (lower-case hex).</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{Version}:{timestamp}:");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data);
        return $"{Version}=" + Convert.ToHexStringLower(mac);
    }
}

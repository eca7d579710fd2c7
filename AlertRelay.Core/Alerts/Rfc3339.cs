using System.Globalization;

namespace AlertRelay.Core.Alerts;

/// <summary>Parses and formats RFC 3339 timestamps the way Go's encoding/json writes them (up to nanoseconds).</summary>
public static class Rfc3339
{
    private static readonly string[] Formats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"];

    /// <summary>Parses an RFC 3339 timestamp with a mandatory zone; fractions beyond 100 ns are dropped.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20 || text.Length > 40)
        {
            return false;
        }

        var normalized = text.ToUpperInvariant();
        if (normalized[10] != 'T' || !HasZone(normalized))
        {
            return false;
        }

        // .NET keeps 7 fractional digits; Go sends up to 9. Drop the extra ones (we keep milliseconds anyway).
        var dot = normalized.IndexOf('.', 19);
        if (dot == 19)
        {
            var end = dot + 1;
            while (end < normalized.Length && char.IsAsciiDigit(normalized[end]))
            {
                end++;
            }

            if (end == dot + 1)
            {
                return false;
            }

            if (end - dot - 1 > 7)
            {
                normalized = string.Concat(normalized.AsSpan(0, dot + 8), normalized.AsSpan(end));
            }
        }

        return DateTimeOffset.TryParseExact(normalized, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private static bool HasZone(string text) =>
        text[^1] == 'Z' || (text.Length >= 25 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

    /// <summary>Formats as UTC with millisecond precision, e.g. 2026-11-24T22:32:30.253Z.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AlertRelay.Core.History;

/// <summary>A keyset position in the newest-first alert listing: the last (startsAt, id) already returned.</summary>
public readonly record struct AlertCursor(long StartsAtMs, long Id)
{
    /// <summary>An opaque, URL-safe token.</summary>
    public string Encode() => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{StartsAtMs}.{Id}")));

    public static bool TryDecode(string? token, out AlertCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(token) || token.Length > 64)
        {
            return false;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var dot = text.IndexOf('.');
        if (dot <= 0 ||
            !long.TryParse(text.AsSpan(0, dot), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var startsAtMs) ||
            !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new AlertCursor(startsAtMs, id);
        return true;
    }
}

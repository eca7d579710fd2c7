using System.Globalization;
using System.Text;

namespace AlertRelay.Core.Alerts;

/// <summary>
/// An alert's identity as Alertmanager computes it: FNV-1a 64 over the label set sorted by name,
/// each name and value followed by the separator byte 0xff (prometheus/common model.LabelSet.Fingerprint).
/// </summary>
public readonly record struct Fingerprint(ulong Value)
{
    private const ulong Offset64 = 14695981039346656037;
    private const ulong Prime64 = 1099511628211;
    private const byte Separator = 0xff;

    /// <summary>Computes the fingerprint of a label set; the empty set gets FNV's offset basis, as in Go.</summary>
    public static Fingerprint Of(LabelSet labels)
    {
        var hash = Offset64;
        Span<byte> scratch = stackalloc byte[256];
        foreach (var (name, value) in labels)
        {
            hash = Add(hash, name, scratch);
            hash = AddByte(hash, Separator);
            hash = Add(hash, value, scratch);
            hash = AddByte(hash, Separator);
        }

        return new Fingerprint(hash);
    }

    private static ulong Add(ulong hash, string text, Span<byte> scratch)
    {
        var byteCount = Encoding.UTF8.GetMaxByteCount(text.Length);
        var bytes = byteCount <= scratch.Length ? scratch : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(text, bytes);
        foreach (var b in bytes[..written])
        {
            hash ^= b;
            hash *= Prime64;
        }

        return hash;
    }

    private static ulong AddByte(ulong hash, byte b) => (hash ^ b) * Prime64;

    /// <summary>Parses Alertmanager's 16-digit lower-case hex form.</summary>
    public static bool TryParse(string? text, out Fingerprint fingerprint)
    {
        if (text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            fingerprint = new Fingerprint(value);
            return true;
        }

        fingerprint = default;
        return false;
    }

    /// <summary>The value as SQLite stores it: the same 64 bits, read as a signed integer.</summary>
    public long ToInt64() => unchecked((long)Value);

    public static Fingerprint FromInt64(long stored) => new(unchecked((ulong)stored));

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}

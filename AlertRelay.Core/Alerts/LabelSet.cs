using System.Buffers;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AlertRelay.Core.Alerts;

/// <summary>An immutable set of label (or annotation) name/value pairs, kept sorted by name in ordinal order.</summary>
public sealed class LabelSet : IReadOnlyDictionary<string, string>, IEquatable<LabelSet>
{
    // Stored, not embedded in HTML: keep quotes and non-ASCII readable for sqlite3 and Grafana users.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly KeyValuePair<string, string>[] _pairs;
    private string? _json;

    public static LabelSet Empty { get; } = new([]);

    private LabelSet(KeyValuePair<string, string>[] sortedPairs) => _pairs = sortedPairs;

    /// <summary>Builds a set from pairs; a later duplicate name wins, as with a JSON object in Go.</summary>
    public static LabelSet From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            map[name] = value;
        }

        return FromDistinct(map);
    }

    public static LabelSet From(params (string Name, string Value)[] pairs) =>
        From(pairs.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    /// <summary>Builds a set from a dictionary: its names are already distinct, so nothing is merged or copied twice.</summary>
    public static LabelSet FromDistinct(IReadOnlyDictionary<string, string> pairs)
    {
        if (pairs.Count == 0)
        {
            return Empty;
        }

        var array = pairs.ToArray();
        Array.Sort(array, static (a, b) => CompareNames(a.Key, b.Key));
        return new LabelSet(array);
    }

    /// <summary>
    /// Orders label names as Go does (by UTF-8 bytes, which is code point order), so that fingerprints match
    /// Alertmanager's. Ordinal UTF-16 order differs only where a surrogate pair (U+10000 and above) meets a
    /// character in U+E000..U+FFFF: UTF-16 puts the pair first, code point order last.
    /// </summary>
    public static int CompareNames(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length - b.Length;
        }

        int x = a[common], y = b[common];
        if (x >= 0xD800 && y >= 0xD800)
        {
            // Surrogates (D800..DFFF) move above E000..FFFF; E000..FFFF move down to make room.
            x = x >= 0xE000 ? x - 0x800 : x + 0x2000;
            y = y >= 0xE000 ? y - 0x800 : y + 0x2000;
        }

        return x - y;
    }

    public int Count => _pairs.Length;

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public IEnumerable<string> Keys => _pairs.Select(p => p.Key);

    public IEnumerable<string> Values => _pairs.Select(p => p.Value);

    /// <summary>The value of a label, or the empty string when it is missing (Alertmanager's convention).</summary>
    public string Get(string name) => TryGetValue(name, out var value) ? value : "";

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = _pairs[index].Value;
        return true;
    }

    private int IndexOf(string key)
    {
        int lo = 0, hi = _pairs.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var cmp = CompareNames(_pairs[mid].Key, key);
            if (cmp == 0)
            {
                return mid;
            }

            if (cmp < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(LabelSet? other)
    {
        if (other is null || other._pairs.Length != _pairs.Length)
        {
            return false;
        }

        for (var i = 0; i < _pairs.Length; i++)
        {
            if (!string.Equals(_pairs[i].Key, other._pairs[i].Key, StringComparison.Ordinal) ||
                !string.Equals(_pairs[i].Value, other._pairs[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is LabelSet other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (name, value) in _pairs)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>A compact JSON object with names in sorted order: the stored form, stable for comparison.</summary>
    public string ToJson() => _json ??= WriteJson();

    /// <summary>Writes the JSON of <see cref="ToJson"/> as UTF-8, without making a string.</summary>
    public void WriteJsonUtf8(IBufferWriter<byte> output)
    {
        if (_json is not null)
        {
            Encoding.UTF8.GetBytes(_json, output);
            return;
        }

        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        foreach (var (name, value) in _pairs)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private string WriteJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteJsonUtf8(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads the stored form written by <see cref="ToJson"/>.</summary>
    public static LabelSet FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            pairs.Add(KeyValuePair.Create(property.Name, property.Value.GetString() ?? ""));
        }

        return From(pairs);
    }

    /// <summary>Alertmanager's rendering, e.g. {alertname="X", severity="critical"}.</summary>
    public override string ToString() =>
        "{" + string.Join(", ", _pairs.Select(p => $"{p.Key}=\"{p.Value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"")) + "}";
}

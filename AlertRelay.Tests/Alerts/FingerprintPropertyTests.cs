using System.Text;
using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Ingest;
using CsCheck;

namespace AlertRelay.Tests.Alerts;

/// <summary>
/// Fingerprint against an independent restatement of Alertmanager's algorithm, prometheus/common
/// <c>model.LabelSet.Fingerprint()</c> (model/signature.go, <c>labelSetToFingerprint</c>): label names sorted
/// as Go sorts strings (byte-wise over UTF-8), then FNV-1a 64 over name, 0xff, value, 0xff for each pair; an
/// empty set is <c>emptyLabelSignature = fnv.New64a().Sum64()</c>, the offset basis.
/// </summary>
public class FingerprintPropertyTests
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>Alertmanager's algorithm, written from its Go source, not from AlertRelay's.</summary>
    internal static ulong AlertmanagerFingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var names = labels.Keys.Select(name => (Name: name, Bytes: Encoding.UTF8.GetBytes(name))).ToList();
        // Go's string < compares bytes; for UTF-8 that is code point order, not UTF-16 code unit order.
        names.Sort((a, b) => a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
        var bytes = new List<byte>();
        foreach (var (name, nameBytes) in names)
        {
            bytes.AddRange(nameBytes);
            bytes.Add(0xff);
            bytes.AddRange(Encoding.UTF8.GetBytes(labels[name]));
            bytes.Add(0xff);
        }

        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        return hash;
    }

    // Code points, never lone surrogates (what a JSON body can carry as a Go string); weighted toward the edges
    // of UTF-8's 1-, 2-, 3- and 4-byte forms and the characters next to the 0xff separator byte.
    private static readonly Gen<int> CodePoint = Gen.Frequency(
        (8, Gen.Int['a', 'z']),
        (3, Gen.OneOf(Gen.Int['A', 'Z'], Gen.Int['0', '9'], Gen.Const((int)'_'))),
        (3, Gen.Int[0x00, 0x7f]),
        (3, Gen.OneOf(Gen.Const(0xfe), Gen.Const(0xff), Gen.Const(0x100), Gen.Const(0x7f), Gen.Const(0x80), Gen.Const(0x7ff),
            Gen.Const(0x800), Gen.Const(0xd7ff), Gen.Const(0xe000), Gen.Const(0xfffd), Gen.Const(0xfffe), Gen.Const(0xffff),
            Gen.Const(0x10000), Gen.Const(0x10ffff))),
        (2, Gen.Int[0x80, 0x7ff]),
        (2, Gen.Int[0x800, 0xd7ff]),
        (2, Gen.Int[0xe000, 0xffff]),
        (2, Gen.Int[0x10000, 0x10ffff]));

    private static Gen<string> Text(int maxLength) =>
        CodePoint.Array[0, maxLength].Select(codePoints =>
        {
            var text = new StringBuilder(codePoints.Length * 2);
            foreach (var codePoint in codePoints)
            {
                text.Append(new Rune(codePoint));
            }

            return text.ToString();
        });

    // Long strings cross the 256-byte stack buffer Fingerprint.Of encodes into.
    private static readonly Gen<string> AnyText = Gen.Frequency(
        (1, Gen.OneOf(Gen.Const(""), Gen.Const(" "), Gen.Const("\u00ff"), Gen.Const("\uffff"), Gen.Const("\U0010ffff"))),
        (12, Text(12)),
        (2, Text(300)));

    private static readonly Gen<string> Name = AnyText;

    private static readonly Gen<string> Value = AnyText;

    /// <summary>Pairs as they arrive, possibly with repeated names (the later one wins, as in a Go map decoded from JSON).</summary>
    private static readonly Gen<(string Name, string Value)[]> Pairs =
        Gen.Select(Name, Value).Array[0, 40];

    private static Dictionary<string, string> LastWins(IEnumerable<(string Name, string Value)> pairs)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            map[name] = value;
        }

        return map;
    }

    private static string Show(IEnumerable<(string Name, string Value)> pairs) =>
        "{" + string.Join(", ", pairs.Select(p => $"{Escape(p.Name)}={Escape(p.Value)}")) + "}";

    private static string Escape(string text) =>
        "\"" + string.Concat(text.EnumerateRunes().Select(r => r.Value is >= 0x20 and < 0x7f ? r.ToString() : $"\\u{{{r.Value:x}}}")) + "\"";

    [Fact]
    public void Of_EqualsAlertmanagersAlgorithm_ForRandomLabelSets()
    {
        Pairs.Sample(pairs =>
        {
            var expected = AlertmanagerFingerprint(LastWins(pairs));
            var actual = Fingerprint.Of(LabelSet.From(pairs)).Value;
            Assert.True(expected == actual, $"Alertmanager {expected:x16}, AlertRelay {actual:x16}");
        }, iter: 2_000, threads: 1, print: Show);
    }

    [Fact]
    public void Of_SortsNamesByUtf8Bytes_WhereUtf16OrderDiffers()
    {
        // A surrogate pair sorts before U+E000 in UTF-16 but after it in UTF-8 (Go's order): Alertmanager gives bbf262a988c345b5.
        var labels = LabelSet.From(("\uE000", ""), ("\U00010000", ""));

        Assert.Equal("bbf262a988c345b5", Fingerprint.Of(labels).ToString());
        Assert.Equal(AlertmanagerFingerprint(new Dictionary<string, string> { ["\uE000"] = "", ["\U00010000"] = "" }), Fingerprint.Of(labels).Value);
    }

    [Fact]
    public void Of_IsTheOffsetBasis_ForTheEmptyLabelSet()
    {
        Assert.Equal(FnvOffset, AlertmanagerFingerprint(new Dictionary<string, string>()));
        Assert.Equal(FnvOffset, Fingerprint.Of(LabelSet.From(Array.Empty<(string, string)>())).Value);
    }

    [Fact]
    public void Of_DoesNotDependOnInsertionOrder_ForRandomLabelSets()
    {
        var distinct = Pairs.Select(pairs => LastWins(pairs).Select(p => (p.Key, p.Value)).ToArray());
        distinct.SelectMany(pairs => Gen.Shuffle(pairs).Select(shuffled => (pairs, shuffled))).Sample((pairs, shuffled) =>
        {
            Assert.Equal(Fingerprint.Of(LabelSet.From(pairs)), Fingerprint.Of(LabelSet.From(shuffled)));
        }, iter: 1_000, threads: 1, print: t => $"{Show(t.Item1)} vs {Show(t.Item2)}");
    }

    [Fact]
    public void ToString_IsSixteenLowerCaseHexDigitsThatParseBack_ForRandomValues()
    {
        Gen.ULong.Sample(value =>
        {
            var text = new Fingerprint(value).ToString();
            Assert.Matches(new Regex("^[0-9a-f]{16}$"), text);
            Assert.Equal(value.ToString("x16"), text);
            Assert.True(Fingerprint.TryParse(text, out var parsed));
            Assert.Equal(value, parsed.Value);
            Assert.Equal(new Fingerprint(value), Fingerprint.FromInt64(new Fingerprint(value).ToInt64()));
        }, iter: 5_000, threads: 1);
    }

    [Fact]
    public void Parse_GivesAlertmanagersFingerprint_ForRandomLabelsInAWebhookBody()
    {
        // Through the real parser: JSON escapes, non-ASCII names and values; names are non-empty and distinct there
        // (a repeated label name is a 400, see HostileInputTests).
        var labels = Gen.Select(Name.Where(n => n.Length > 0), Value).Array[1, 20]
            .Where(pairs => pairs.Select(p => p.Item1).Distinct(StringComparer.Ordinal).Count() == pairs.Length);
        labels.Sample(pairs =>
        {
            var body = WebhookBody(pairs);
            var parsed = WebhookParser.Parse(body);
            var alert = Assert.Single(Assert.IsType<WebhookMessage>(parsed.Message).Alerts);
            Assert.Equal(AlertmanagerFingerprint(LastWins(pairs)).ToString("x16"), alert.Fingerprint.ToString());
        }, iter: 1_000, threads: 1, print: Show);
    }

    private static byte[] WebhookBody((string Name, string Value)[] labels)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("version", "4");
            json.WriteString("status", "firing");
            json.WriteStartArray("alerts");
            json.WriteStartObject();
            json.WriteString("status", "firing");
            json.WriteStartObject("labels");
            foreach (var (name, value) in labels)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("startsAt", "2026-11-24T22:32:30.253Z");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}

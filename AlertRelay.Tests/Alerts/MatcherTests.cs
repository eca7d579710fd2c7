using System.Text.RegularExpressions;
using AlertRelay.Core.Alerts;
// System.IO (an implicit using) also has a MatchType; the alias picks ours.
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Tests.Alerts;

/// <summary>Tests for <see cref="Matcher"/>, largely ported from Alertmanager's <c>pkg/labels/matcher_test.go</c>.</summary>
public sealed class MatcherTests
{
    /// <summary>One <see cref="Matcher.Matches"/> check; <see cref="Name"/> is the test display name.</summary>
    public sealed record MatchCase(string Name, MatchType Type, string MatcherValue, string? LabelValue, bool Expected)
    {
        public override string ToString() => Name;
    }

    /// <summary>One <see cref="Matcher.ToString"/> check.</summary>
    public sealed record FormatCase(string Name, string LabelName, MatchType Type, string Value, string Expected)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<MatchCase> AlertmanagerMatchCases() =>
    [
        new("equal: same value", MatchType.Equal, "bar", "bar", true),
        new("equal: different value", MatchType.Equal, "bar", "foo-bar", false),
        new("not-equal: same value", MatchType.NotEqual, "bar", "bar", false),
        new("not-equal: different value", MatchType.NotEqual, "bar", "foo-bar", true),
        new("regex: literal, same value", MatchType.Regex, "bar", "bar", true),
        new("regex: literal is anchored", MatchType.Regex, "bar", "foo-bar", false),
        new("regex: leading wildcard", MatchType.Regex, ".*bar", "foo-bar", true),
        new("not-regex: literal, same value", MatchType.NotRegex, "bar", "bar", false),
        new("not-regex: literal is anchored", MatchType.NotRegex, "bar", "foo-bar", true),
        new("not-regex: leading wildcard", MatchType.NotRegex, ".*bar", "foo-bar", false),
        new("regex: dot matches any character", MatchType.Regex, "foo.bar", "foo-bar", true),
        new("regex: escaped dot is literal (no match)", MatchType.Regex, "foo\\.bar", "foo-bar", false),
        new("regex: escaped dot is literal (match)", MatchType.Regex, "foo\\.bar", "foo.bar", true),
        new("equal: value with line feed", MatchType.Equal, "foo\nbar", "foo\nbar", true),
        new("regex: dot does not match line feed", MatchType.Regex, "foo.bar", "foo\nbar", false),
        new("regex: (?s) lets dot match line feed", MatchType.Regex, "(?s)foo.bar", "foo\nbar", true),
        new("equal: operator characters in value", MatchType.Equal, "~!=\"", "~!=\"", true),
    ];

    [Theory]
    [MemberData(nameof(AlertmanagerMatchCases))]
    public void Matches_ReturnsAlertmanagerResult_ForEachMatchType(MatchCase testCase) => AssertMatch(testCase);

    public static TheoryData<MatchCase> MissingLabelCases() =>
    [
        new("equal empty matches missing label", MatchType.Equal, "", null, true),
        new("equal non-empty does not match missing label", MatchType.Equal, "bar", null, false),
        new("not-equal non-empty matches missing label", MatchType.NotEqual, "bar", null, true),
        new("not-equal empty does not match missing label", MatchType.NotEqual, "", null, false),
        new("regex .* matches missing label", MatchType.Regex, ".*", null, true),
        new("regex empty matches missing label", MatchType.Regex, "", null, true),
        new("regex with empty alternative matches missing label", MatchType.Regex, "bar|", null, true),
        new("regex .+ does not match missing label", MatchType.Regex, ".+", null, false),
        new("regex literal does not match missing label", MatchType.Regex, "bar", null, false),
        new("not-regex literal matches missing label", MatchType.NotRegex, "bar", null, true),
        new("not-regex .+ matches missing label", MatchType.NotRegex, ".+", null, true),
        new("not-regex .* does not match missing label", MatchType.NotRegex, ".*", null, false),
    ];

    [Theory]
    [MemberData(nameof(MissingLabelCases))]
    public void Matches_TreatsMissingLabelAsEmptyString(MatchCase testCase)
    {
        AssertMatch(testCase);

        var matcher = Matcher.Create("foo", testCase.Type, testCase.MatcherValue);
        Assert.Equal(matcher.Matches(string.Empty), matcher.Matches(null));
    }

    public static TheoryData<MatchCase> AnchoringCases() =>
    [
        new("prefix of value does not match", MatchType.Regex, "bar", "barfoo", false),
        new("suffix of value does not match", MatchType.Regex, "bar", "foobar", false),
        new("trailing line feed does not match (Go's $, not .NET's)", MatchType.Regex, "bar", "bar\n", false),
        new("leading line feed does not match", MatchType.Regex, "bar", "\nbar", false),
        new("alternation is anchored as a whole (first branch)", MatchType.Regex, "a|b", "a", true),
        new("alternation is anchored as a whole (concatenation)", MatchType.Regex, "a|b", "ab", false),
        new("alternation is anchored on both sides", MatchType.Regex, "foo|bar", "foobar", false),
        new("(?m) inside the value does not unanchor it", MatchType.Regex, "(?m)bar", "bar\nx", false),
        new("explicit anchors in the value are harmless", MatchType.Regex, "^bar$", "bar", true),
        new("not-regex is negated whole-value match", MatchType.NotRegex, "bar", "foobar", true),
        new("unbalanced parentheses escape the group, as in Alertmanager", MatchType.Regex, "a)|(b", "axyz", true),
    ];

    [Theory]
    [MemberData(nameof(AnchoringCases))]
    public void Matches_AnchorsRegexToWholeValue(MatchCase testCase) => AssertMatch(testCase);

    public static TheoryData<MatchCase> CaseAndComparisonCases() =>
    [
        new("equal is case-sensitive", MatchType.Equal, "Bar", "bar", false),
        new("equal is ordinal, not linguistic", MatchType.Equal, "stra\u00dfe", "strasse", false),
        new("equal does not normalize Unicode", MatchType.Equal, "\u00e9", "e\u0301", false),
        new("regex is case-sensitive by default", MatchType.Regex, "bar", "BAR", false),
        new("regex (?i) is case-insensitive", MatchType.Regex, "(?i)bar", "BAR", true),
        new("not-regex (?i) is case-insensitive", MatchType.NotRegex, "(?i)bar", "BaR", false),
        new("regex character class", MatchType.Regex, "5[0-9]{2}", "503", true),
        new("regex quantifier bounds", MatchType.Regex, "5[0-9]{2}", "5030", false),
    ];

    [Theory]
    [MemberData(nameof(CaseAndComparisonCases))]
    public void Matches_ComparesOrdinally_AndRegexHonoursInlineFlags(MatchCase testCase) => AssertMatch(testCase);

    public static TheoryData<MatchCase> BacktrackingOnlyCases() =>
    [
        new("backreference", MatchType.Regex, "(a+)-\\1", "aa-aa", true),
        new("backreference mismatch", MatchType.Regex, "(a+)-\\1", "aa-a", false),
        new("lookahead", MatchType.Regex, "foo(?=bar)bar", "foobar", true),
        new("atomic group", MatchType.NotRegex, "(?>a+)b", "aab", false),
    ];

    [Theory]
    [MemberData(nameof(BacktrackingOnlyCases))]
    public void Matches_FallsBackToBacktrackingEngine_WhenPatternNeedsIt(MatchCase testCase) => AssertMatch(testCase);

    [Fact]
    public void Matches_ThrowsRegexMatchTimeoutException_WhenEvaluationExceedsTimeout()
    {
        // A backreference forces the backtracking engine, and (a+)+ on a long run of 'a's never finishes in time.
        var matcher = Matcher.Create("foo", MatchType.Regex, "(a+)+\\1?b");

        Assert.Throws<RegexMatchTimeoutException>(() => matcher.Matches(new string('a', 40)));
    }

    [Fact]
    public void Create_ReturnsMatcherWithGivenProperties()
    {
        var matcher = Matcher.Create("instance", MatchType.NotRegex, "web-.*");

        Assert.Equal("instance", matcher.Name);
        Assert.Equal(MatchType.NotRegex, matcher.Type);
        Assert.Equal("web-.*", matcher.Value);
    }

    public static TheoryData<MatchType, string> InvalidRegexCases() => new()
    {
        { MatchType.Regex, "invalid[regexp" },
        { MatchType.NotRegex, "(unclosed" },
        { MatchType.Regex, "*" },
        { MatchType.Regex, "a\\" },
        { MatchType.Regex, "\\Qa.b\\E" },
        { MatchType.Regex, "(?P<name>a)" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegexCases))]
    public void Create_ThrowsMatcherParseException_WhenRegexIsInvalid(MatchType type, string value)
    {
        var ex = Assert.Throws<MatcherParseException>(() => Matcher.Create("foo", type, value));

        Assert.StartsWith("invalid regular expression", ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("foo", ex.Input, StringComparison.Ordinal);
        Assert.IsType<RegexParseException>(ex.InnerException);
        Assert.Contains(ex.Input, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MatchType.Equal)]
    [InlineData(MatchType.NotEqual)]
    public void Create_DoesNotTreatValueAsRegex_WhenTypeIsEqualOrNotEqual(MatchType type)
    {
        var matcher = Matcher.Create("foo", type, "invalid[regexp");

        Assert.Equal(type == MatchType.Equal, matcher.Matches("invalid[regexp"));
        Assert.Equal(type == MatchType.NotEqual, matcher.Matches("invalidr"));
    }

    [Fact]
    public void Create_ThrowsArgumentOutOfRangeException_WhenTypeIsUnknown() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Matcher.Create("foo", (MatchType)42, "bar"));

    [Fact]
    public void Create_ThrowsArgumentNullException_WhenNameOrValueIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Matcher.Create(null!, MatchType.Equal, "bar"));
        Assert.Throws<ArgumentNullException>(() => Matcher.Create("foo", MatchType.Equal, null!));
    }

    public static TheoryData<FormatCase> FormatCases() =>
    [
        new("equal", "foo", MatchType.Equal, "bar", "foo=\"bar\""),
        new("not-equal", "foo", MatchType.NotEqual, "bar", "foo!=\"bar\""),
        new("regex", "foo", MatchType.Regex, "bar", "foo=~\"bar\""),
        new("not-regex", "foo", MatchType.NotRegex, "bar", "foo!~\"bar\""),
        new("backslash is escaped", "foo", MatchType.Equal, "back\\slash", "foo=\"back\\\\slash\""),
        new("double quote is escaped", "foo", MatchType.Equal, "double\"quote", "foo=\"double\\\"quote\""),
        new("line feed is escaped", "foo", MatchType.Equal, "new\nline", "foo=\"new\\nline\""),
        new("tab is not escaped", "foo", MatchType.Equal, "tab\tstop", "foo=\"tab\tstop\""),
        new("non-BMP character is not escaped", "foo", MatchType.Equal, "🙂", "foo=\"🙂\""),
        new("empty value is quoted", "foo", MatchType.Equal, "", "foo=\"\""),
        new("regex escapes are doubled", "foo", MatchType.Regex, "\\d+\\.", "foo=~\"\\\\d+\\\\.\""),
        new("label name is written verbatim (Alertmanager 0.25)", "foo bar", MatchType.Equal, "baz", "foo bar=\"baz\""),
    ];

    [Theory]
    [MemberData(nameof(FormatCases))]
    public void ToString_ReturnsAlertmanagerCanonicalForm(FormatCase testCase)
    {
        var matcher = Matcher.Create(testCase.LabelName, testCase.Type, testCase.Value);

        Assert.Equal(testCase.Expected, matcher.ToString());
    }

    private static void AssertMatch(MatchCase testCase)
    {
        var matcher = Matcher.Create("foo", testCase.Type, testCase.MatcherValue);

        Assert.Equal(testCase.Expected, matcher.Matches(testCase.LabelValue));
    }
}

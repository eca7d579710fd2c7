using AlertRelay.Core.Alerts;
// System.IO (an implicit using) also has a MatchType; the alias picks ours.
using MatchType = AlertRelay.Core.Alerts.MatchType;

namespace AlertRelay.Tests.Alerts;

/// <summary>Tests for <see cref="MatcherParser"/>, largely ported from Alertmanager's <c>pkg/labels/parse_test.go</c>.</summary>
public sealed class MatcherParserTests
{
    /// <summary>A <see cref="MatcherParser.ParseMatcher"/> case that parses; <see cref="Name"/> is the test display name.</summary>
    public sealed record ParseCase(string Name, string Input, string LabelName, string Value)
    {
        public override string ToString() => Name;
    }

    /// <summary>A case that must fail; the failing matcher text and the start of the reason are checked.</summary>
    public sealed record ErrorCase(string Name, string Input, string FailingMatcher, string ReasonPrefix)
    {
        public override string ToString() => Name;
    }

    /// <summary>A <see cref="MatcherParser.ParseMatchers"/> case that parses into <see cref="Expected"/>.</summary>
    public sealed record ListCase(string Name, string Input, (string Name, MatchType Type, string Value)[] Expected)
    {
        public override string ToString() => Name;
    }

    private const string BadFormat = "bad matcher format";
    private const string UnescapedQuote = "matcher value contains unescaped double quote: ";
    private const string BadRegex = "invalid regular expression";

    public static TheoryData<ParseCase> EqualCases() =>
    [
        new("double-quoted value", "severity=\"critical\"", "severity", "critical"),
        new("bare value", "foo=bar", "foo", "bar"),
        new("whitespace around every token", " \t foo =  \"bar\" \n", "foo", "bar"),
        new("whitespace inside quotes is kept", "foo=\" bar \"", "foo", " bar "),
        new("bare value keeps inner whitespace", "foo = bar baz ", "foo", "bar baz"),
        new("empty quoted value", "foo=\"\"", "foo", ""),
        new("missing value is the empty string", "job=", "job", ""),
        new("missing value with trailing whitespace", "job =  ", "job", ""),
        new("underscore, colon and digits in name", "_:a1__=x", "_:a1__", "x"),
        new("second '=' is part of the value", "foo==bar", "foo", "=bar"),
        new("operators inside the value", "foo=a=~b!=c!~d", "foo", "a=~b!=c!~d"),
        new("comma is part of a single matcher's value", "foo=a,b", "foo", "a,b"),
        new("braces are part of the value", "foo={bar}", "foo", "{bar}"),
        new("single quotes are literal", "foo='bar'", "foo", "'bar'"),
        new("backtick is literal", "foo=`", "foo", "`"),
        new("literal line feed is tolerated", "foo=\"a\nb\"", "foo", "a\nb"),
        new("regex metacharacters are not validated", "foo=\"invalid[regexp\"", "foo", "invalid[regexp"),
        new("unicode and escaped quotes", "quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"", "quote", "She said: \"Hi, ladies! That's gender-neutral…\""),
        new("non-BMP characters", "foo=\"🙂\"", "foo", "🙂"),
        new("vertical tab is not trimmed (Go's \\s excludes \\v)", "foo=bar\v", "foo", "bar\v"),
        new("no-break space is not trimmed (Go's \\s is ASCII)", "foo=bar\u00a0", "foo", "bar\u00a0"),
    ];

    [Theory]
    [MemberData(nameof(EqualCases))]
    public void ParseMatcher_ReturnsEqualMatcher_WhenOperatorIsEqual(ParseCase testCase) =>
        AssertParsesTo(testCase, MatchType.Equal);

    public static TheoryData<ParseCase> NotEqualCases() =>
    [
        new("bare value", "foo!=bar", "foo", "bar"),
        new("quoted value with whitespace around operator", "foo != \"bar\"", "foo", "bar"),
        new("escaped quote as the whole value", "contains_quote != \"\\\"\"", "contains_quote", "\""),
        new("missing value", "foo!=", "foo", ""),
        new("empty quoted value", "foo!=\"\"", "foo", ""),
    ];

    [Theory]
    [MemberData(nameof(NotEqualCases))]
    public void ParseMatcher_ReturnsNotEqualMatcher_WhenOperatorIsBangEqual(ParseCase testCase) =>
        AssertParsesTo(testCase, MatchType.NotEqual);

    public static TheoryData<ParseCase> RegexCases() =>
    [
        new("quoted regex", "instance=~\"web-.*\"", "instance", "web-.*"),
        new("bare regex", "foo=~bar.*", "foo", "bar.*"),
        new("dots", "statuscode=~\"5..\"", "statuscode", "5.."),
        new("'=~' wins over '=' followed by '~'", "tricky=~~~", "tricky", "~~"),
        new("alternation with whitespace around operator", "foo =~ \"a|b\"", "foo", "a|b"),
        new("escaped backslash gives a regex escape", "foo=~\"\\\\d+\"", "foo", "\\d+"),
        new("spurious escape keeps the backslash", "foo=~\"\\d+\"", "foo", "\\d+"),
        new("empty regex", "foo=~\"\"", "foo", ""),
    ];

    [Theory]
    [MemberData(nameof(RegexCases))]
    public void ParseMatcher_ReturnsRegexMatcher_WhenOperatorIsEqualTilde(ParseCase testCase) =>
        AssertParsesTo(testCase, MatchType.Regex);

    public static TheoryData<ParseCase> NotRegexCases() =>
    [
        new("bare alternation", "foo!~bar|baz", "foo", "bar|baz"),
        new("quoted regex with space after operator", "foo!~ \"bar.*\"", "foo", "bar.*"),
        new("comma inside quotes", "contains_comma !~ \"foo,bar\"", "contains_comma", "foo,bar"),
    ];

    [Theory]
    [MemberData(nameof(NotRegexCases))]
    public void ParseMatcher_ReturnsNotRegexMatcher_WhenOperatorIsBangTilde(ParseCase testCase) =>
        AssertParsesTo(testCase, MatchType.NotRegex);

    public static TheoryData<ParseCase> EscapeCases() =>
    [
        new("escaped double quote", "foo=\"a\\\"b\"", "foo", "a\"b"),
        new("escaped backslash", "foo=\"a\\\\b\"", "foo", "a\\b"),
        new("escaped line feed", "foo=\"a\\nb\"", "foo", "a\nb"),
        new("escaped backslash before n is not a line feed", "foo=\"\\\\n\"", "foo", "\\n"),
        new("escaped backslash then escaped quote", "foo=\"\\\\\\\"\"", "foo", "\\\""),
        new("unknown escape \\t stays literal", "foo=\"a\\tb\"", "foo", "a\\tb"),
        new("unknown escape in bare value stays literal", "foo=bar\\t", "foo", "bar\\t"),
        new("trailing lone backslash is literal", "foo=bar\\", "foo", "bar\\"),
        new("trailing escaped backslash", "foo=bar\\\\", "foo", "bar\\"),
        new("escaped quote ending a bare value", "foo=bar\\\"", "foo", "bar\""),
        new("escaped quotes around a bare value", "foo=\\\"bar\\\"", "foo", "\"bar\""),
        new("trickier (Alertmanager)", "trickier==\\\\=\\=\\\"", "trickier", "=\\=\\=\""),
    ];

    [Theory]
    [MemberData(nameof(EscapeCases))]
    public void ParseMatcher_UnescapesValue_WhenValueContainsEscapeSequences(ParseCase testCase) =>
        AssertParsesTo(testCase, MatchType.Equal);

    public static TheoryData<ErrorCase> InvalidMatcherCases() =>
    [
        new("empty input", "", "", BadFormat),
        new("whitespace only", "  ", "  ", BadFormat),
        new("missing operator", "foo", "foo", BadFormat),
        new("missing operator between words", "foo bar", "foo bar", BadFormat),
        new("missing label name", "=\"bar\"", "=\"bar\"", BadFormat),
        new("label name starting with a digit", "1foo=\"bar\"", "1foo=\"bar\"", BadFormat),
        new("label name with a dash", "invalid-name = \"valid label\"", "invalid-name = \"valid label\"", BadFormat),
        new("quoted label name", "\"foo\"=\"bar\"", "\"foo\"=\"bar\"", BadFormat),
        new("unknown operator '~='", "foo~=\"bar\"", "foo~=\"bar\"", BadFormat),
        new("'==' is '=' then a value starting with '='", "foo==\"bar\"", "foo==\"bar\"", UnescapedQuote + "=\"bar\""),
        new("braces are only for lists", "{foo=\"bar\"}", "{foo=\"bar\"}", BadFormat),
        new("double-escaped matcher", "\"foo=\\\"bar\\\"\"", "\"foo=\\\"bar\\\"\"", BadFormat),
        new("unterminated quote", "job=\"value", "job=\"value", UnescapedQuote + "\"value"),
        new("closing quote without opening quote", "job=value\"", "job=value\"", UnescapedQuote + "value\""),
        new("unescaped quote inside bare value", "contains_unescaped_quote = foo\"bar", "contains_unescaped_quote = foo\"bar", UnescapedQuote + "foo\"bar"),
        new("lone quote", "foo=\"", "foo=\"", UnescapedQuote + "\""),
        new("text after the closing quote", "foo=\"bar\"baz", "foo=\"bar\"baz", UnescapedQuote + "\"bar\"baz"),
        new("escaped closing quote leaves the value open", "foo=\"bar\\\"", "foo=\"bar\\\"", UnescapedQuote + "\"bar\\\""),
        new("extra quote after escapes (Alertmanager)", "trickier==\\\\=\\=\\\"\"", "trickier==\\\\=\\=\\\"\"", UnescapedQuote + "=\\\\=\\=\\\"\""),
        new("lone surrogate", "foo=\"\ud800\"", "foo=\"\ud800\"", "matcher value not valid UTF-8"),
        new("regex with unterminated class", "foo=~\"invalid[regexp\"", "foo=~\"invalid[regexp\"", BadRegex),
        new("negative regex with unclosed group", "foo!~\"(unclosed\"", "foo!~\"(unclosed\"", BadRegex),
        new("regex with dangling quantifier", "foo=~*", "foo=~*", BadRegex),
    ];

    [Theory]
    [MemberData(nameof(InvalidMatcherCases))]
    public void ParseMatcher_ThrowsMatcherParseException_WhenInputIsInvalid(ErrorCase testCase)
    {
        var ex = Assert.Throws<MatcherParseException>(() => MatcherParser.ParseMatcher(testCase.Input));

        Assert.Equal(testCase.FailingMatcher, ex.Input);
        Assert.StartsWith(testCase.ReasonPrefix, ex.Reason, StringComparison.Ordinal);
        Assert.Contains(testCase.Input, ex.Message, StringComparison.Ordinal);
        Assert.Contains(ex.Reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMatcher_ThrowsArgumentNullException_WhenInputIsNull() =>
        Assert.Throws<ArgumentNullException>(() => MatcherParser.ParseMatcher(null!));

    public static TheoryData<ListCase> ValidListCases() =>
    [
        new("empty braces", "{}", []),
        new("empty string", "", []),
        new("braces around whitespace", "{ }", []),
        new("single quote as value", "{foo='}", [("foo", MatchType.Equal, "'")]),
        new("backtick as value", "{foo=`}", [("foo", MatchType.Equal, "`")]),
        new("escaped quote as value", "{foo=\\\"}", [("foo", MatchType.Equal, "\"")]),
        new("bare equal", "{foo=bar}", [("foo", MatchType.Equal, "bar")]),
        new("quoted equal", "{foo=\"bar\"}", [("foo", MatchType.Equal, "bar")]),
        new("bare regex", "{foo=~bar.*}", [("foo", MatchType.Regex, "bar.*")]),
        new("quoted regex", "{foo=~\"bar.*\"}", [("foo", MatchType.Regex, "bar.*")]),
        new("bare not-equal", "{foo!=bar}", [("foo", MatchType.NotEqual, "bar")]),
        new("quoted not-equal", "{foo!=\"bar\"}", [("foo", MatchType.NotEqual, "bar")]),
        new("bare not-regex", "{foo!~bar.*}", [("foo", MatchType.NotRegex, "bar.*")]),
        new("quoted not-regex", "{foo!~\"bar.*\"}", [("foo", MatchType.NotRegex, "bar.*")]),
        new("equal and not-equal", "{foo=\"bar\", baz!=\"quux\"}",
            [("foo", MatchType.Equal, "bar"), ("baz", MatchType.NotEqual, "quux")]),
        new("equal and not-regex", "{foo=\"bar\", baz!~\"quux.*\"}",
            [("foo", MatchType.Equal, "bar"), ("baz", MatchType.NotRegex, "quux.*")]),
        new("three matchers without space after first comma", "{foo=\"bar\",baz!~\".*quux\", derp=\"wat\"}",
            [("foo", MatchType.Equal, "bar"), ("baz", MatchType.NotRegex, ".*quux"), ("derp", MatchType.Equal, "wat")]),
        new("three matchers", "{foo=\"bar\", baz!=\"quux\", derp=\"wat\"}",
            [("foo", MatchType.Equal, "bar"), ("baz", MatchType.NotEqual, "quux"), ("derp", MatchType.Equal, "wat")]),
        new("three matchers with regex in the middle", "{foo=\"bar\", baz!~\".*quux.*\", derp=\"wat\"}",
            [("foo", MatchType.Equal, "bar"), ("baz", MatchType.NotRegex, ".*quux.*"), ("derp", MatchType.Equal, "wat")]),
        new("equal and regex", "{foo=\"bar\", instance=~\"some-api.*\"}",
            [("foo", MatchType.Equal, "bar"), ("instance", MatchType.Regex, "some-api.*")]),
        new("empty quoted value", "{foo=\"\"}", [("foo", MatchType.Equal, "")]),
        new("comma inside quotes does not split", "{foo=\"bar,quux\", job=\"job1\"}",
            [("foo", MatchType.Equal, "bar,quux"), ("job", MatchType.Equal, "job1")]),
        new("spaces and trailing comma", "{foo = \"bar\", dings != \"bums\", }",
            [("foo", MatchType.Equal, "bar"), ("dings", MatchType.NotEqual, "bums")]),
        new("no braces", "foo=bar,dings!=bums",
            [("foo", MatchType.Equal, "bar"), ("dings", MatchType.NotEqual, "bums")]),
        new("no braces, space after comma", "foo=bar, dings!=bums",
            [("foo", MatchType.Equal, "bar"), ("dings", MatchType.NotEqual, "bums")]),
        new("escaped quotes and a comma inside quotes", "{quote=\"She said: \\\"Hi, ladies! That's gender-neutral…\\\"\"}",
            [("quote", MatchType.Equal, "She said: \"Hi, ladies! That's gender-neutral…\"")]),
        new("single regex without braces", "statuscode=~\"5..\"", [("statuscode", MatchType.Regex, "5..")]),
        new("tricky", "tricky=~~~", [("tricky", MatchType.Regex, "~~")]),
        new("trickier", "trickier==\\\\=\\=\\\"", [("trickier", MatchType.Equal, "=\\=\\=\"")]),
        new("escaped quote and quoted comma with trailing comma", "contains_quote != \"\\\"\" , contains_comma !~ \"foo,bar\" , ",
            [("contains_quote", MatchType.NotEqual, "\""), ("contains_comma", MatchType.NotRegex, "foo,bar")]),
        new("only one closing brace is trimmed", "{foo=bar}}", [("foo", MatchType.Equal, "bar}")]),
        new("braces before a trailing comma stay in the value", "{foo=bar}},}", [("foo", MatchType.Equal, "bar}}")]),
        new("empty value then a brace value", "{foo=,bar=}}",
            [("foo", MatchType.Equal, ""), ("bar", MatchType.Equal, "}")]),
        new("unknown escape", "{foo=bar\\t}", [("foo", MatchType.Equal, "bar\\t")]),
        new("escaped line feed", "{foo=bar\\n}", [("foo", MatchType.Equal, "bar\n")]),
        new("trailing backslash", "{foo=bar\\}", [("foo", MatchType.Equal, "bar\\")]),
        new("trailing escaped backslash", "{foo=bar\\\\}", [("foo", MatchType.Equal, "bar\\")]),
        new("trailing escaped quote", "{foo=bar\\\"}", [("foo", MatchType.Equal, "bar\"")]),
        new("missing value", "job=", [("job", MatchType.Equal, "")]),
        new("missing value and closing brace", "{foo=", [("foo", MatchType.Equal, "")]),
        new("text after the closing brace", "{foo=}b", [("foo", MatchType.Equal, "}b")]),
        new("whitespace around the list inside braces", "{  foo=\"bar\"  }", [("foo", MatchType.Equal, "bar")]),
        new("escaped backslash before a quote still opens quotes", "a=\"x\\\\\",b=c",
            [("a", MatchType.Equal, "x\\"), ("b", MatchType.Equal, "c")]),
    ];

    [Theory]
    [MemberData(nameof(ValidListCases))]
    public void ParseMatchers_ReturnsMatchersInOrder_WhenInputIsValid(ListCase testCase)
    {
        var matchers = MatcherParser.ParseMatchers(testCase.Input);

        Assert.Equal(testCase.Expected, matchers.Select(m => (m.Name, m.Type, m.Value)).ToArray());
    }

    public static TheoryData<ErrorCase> InvalidListCases() =>
    [
        new("lone comma", ",", "", BadFormat),
        new("lone comma in braces", "{,}", "", BadFormat),
        new("empty matcher between commas", "a=b,,c=d", "", BadFormat),
        new("leading comma", ",a=b", "", BadFormat),
        new("doubled opening brace", "{{foo=", "{foo=", BadFormat),
        new("bad label name", "{invalid-name = \"valid label\"}", "invalid-name = \"valid label\"", BadFormat),
        new("middle matcher is bad (and, like in Go, not trimmed)", "{foo=\"bar\", baz, x=y}", " baz", BadFormat),
        new("last matcher is bad (and trimmed)", "{foo=\"bar\", baz }", "baz", BadFormat),
        new("unterminated quote", "job=\"value", "job=\"value", UnescapedQuote + "\"value"),
        new("closing quote without opening quote", "job=value\"", "job=value\"", UnescapedQuote + "value\""),
        new("extra quote after escapes", "trickier==\\\\=\\=\\\"\"", "trickier==\\\\=\\=\\\"\"", UnescapedQuote + "=\\\\=\\=\\\"\""),
        new("unescaped quote inside bare value", "contains_unescaped_quote = foo\"bar", "contains_unescaped_quote = foo\"bar", UnescapedQuote + "foo\"bar"),
        new("bad regex", "{foo=~\"invalid[regexp\"}", "foo=~\"invalid[regexp\"", BadRegex),
        new("double-escaped: escaped quote, unbalanced", "\"{foo=\\\"bar\"}", "\"{foo=\\\"bar\"", BadFormat),
        new("double-escaped: no braces", "\"foo=\\\"bar\"", "\"foo=\\\"bar\"", BadFormat),
        new("double-escaped: both quotes escaped", "\"foo=\\\"bar\\\"\"", "\"foo=\\\"bar\\\"\"", BadFormat),
        new("double-escaped: missing outer closing quote", "\"foo=\\\"bar\\\"", "\"foo=\\\"bar\\\"", BadFormat),
        new("double-escaped: braces inside quotes", "\"{foo=\\\"bar\\\"}\"", "\"{foo=\\\"bar\\\"}\"", BadFormat),
        new("double-escaped: unescaped inner quotes", "\"foo=\"bar\"\"", "\"foo=\"bar\"\"", BadFormat),
    ];

    [Theory]
    [MemberData(nameof(InvalidListCases))]
    public void ParseMatchers_ThrowsMatcherParseException_WhenAnyMatcherIsInvalid(ErrorCase testCase)
    {
        var ex = Assert.Throws<MatcherParseException>(() => MatcherParser.ParseMatchers(testCase.Input));

        Assert.Equal(testCase.FailingMatcher, ex.Input);
        Assert.StartsWith(testCase.ReasonPrefix, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseMatcher_ReturnsTrueAndMatcher_WhenInputIsValid()
    {
        var ok = MatcherParser.TryParseMatcher("instance=~\"web-.*\"", out var matcher, out var error);

        Assert.True(ok);
        Assert.Null(error);
        Assert.NotNull(matcher);
        Assert.Equal(("instance", MatchType.Regex, "web-.*"), (matcher.Name, matcher.Type, matcher.Value));
    }

    public static TheoryData<string?, string> TryParseInvalidCases() => new()
    {
        { null, "null" },
        { "", BadFormat },
        { "invalid-name=x", BadFormat },
        { "job=\"value", UnescapedQuote },
        { "foo=~\"[\"", BadRegex },
    };

    [Theory]
    [MemberData(nameof(TryParseInvalidCases))]
    public void TryParseMatcher_ReturnsFalseAndError_WhenInputIsInvalid(string? input, string expectedErrorPart)
    {
        var ok = MatcherParser.TryParseMatcher(input, out var matcher, out var error);

        Assert.False(ok);
        Assert.Null(matcher);
        Assert.NotNull(error);
        Assert.Contains(expectedErrorPart, error, StringComparison.Ordinal);
    }

    public static TheoryData<MatchType, string> RoundTripCases() => new()
    {
        { MatchType.Equal, "plain" },
        { MatchType.Equal, "" },
        { MatchType.NotEqual, "with \"quotes\"" },
        { MatchType.Equal, "back\\slash and trailing \\" },
        { MatchType.Equal, "line\nfeed and \\n literal" },
        { MatchType.Equal, "comma, {braces}, and spaces  " },
        { MatchType.Regex, "web-(a|b)\\.example\\.com" },
        { MatchType.NotRegex, "\\\\server\\\\share" },
        { MatchType.Equal, "🙂 unicode \t tab" },
    };

    [Theory]
    [MemberData(nameof(RoundTripCases))]
    public void ParseMatcher_ReturnsEquivalentMatcher_WhenGivenToStringOutput(MatchType type, string value)
    {
        var original = Matcher.Create("label", type, value);

        var single = MatcherParser.ParseMatcher(original.ToString());
        var list = MatcherParser.ParseMatchers($"{{{original}, other=\"x\"}}");

        Assert.Equal((original.Name, original.Type, original.Value), (single.Name, single.Type, single.Value));
        Assert.Equal(2, list.Count);
        Assert.Equal((original.Name, original.Type, original.Value), (list[0].Name, list[0].Type, list[0].Value));
    }

    private static void AssertParsesTo(ParseCase testCase, MatchType expectedType)
    {
        var matcher = MatcherParser.ParseMatcher(testCase.Input);

        Assert.Equal(
            (testCase.LabelName, expectedType, testCase.Value),
            (matcher.Name, matcher.Type, matcher.Value));
    }
}

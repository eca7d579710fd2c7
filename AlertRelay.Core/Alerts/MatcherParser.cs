using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;

namespace AlertRelay.Core.Alerts;

/// <summary>Parses Alertmanager's classic matcher syntax (<c>pkg/labels/parse.go</c>, v0.25): <c>foo="bar"</c>, <c>foo=~bar|baz</c>, <c>{a="b", c!~"d"}</c>.</summary>
public static partial class MatcherParser
{
    private const string BadFormatReason =
        "bad matcher format: expected a label name matching [a-zA-Z_:][a-zA-Z0-9_:]*, " +
        "then one of the operators =, !=, =~, !~, then an optional value (double-quoted or bare)";

    /// <summary>
    /// Parses one matcher: a label name, an operator (<c>=</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>) and a value, each optionally
    /// surrounded by whitespace. The value may be empty and may be enclosed in double quotes; inside it <c>\"</c>,
    /// <c>\\</c> and <c>\n</c> are unescaped, any other backslash is kept literally, and an unescaped <c>"</c> is
    /// only allowed as the first and the last character.
    /// </summary>
    /// <exception cref="MatcherParseException">The input is not a valid matcher, or its regular expression does not compile.</exception>
    public static Matcher ParseMatcher(string input)
    {
        ArgumentNullException.ThrowIfNull(input);

        var match = MatcherSyntax().Match(input);
        if (!match.Success)
        {
            throw new MatcherParseException(input, BadFormatReason);
        }

        var name = match.Groups[1].Value;
        var type = ParseOperator(match.Groups[2].Value);
        var quotedValue = match.Groups[3].Value; // Go's ms[3], quoted in error messages as Alertmanager does.

        var rawValue = quotedValue;
        var expectTrailingQuote = false;
        if (rawValue.StartsWith('"'))
        {
            rawValue = rawValue[1..];
            expectTrailingQuote = true;
        }

        if (HasUnpairedSurrogate(rawValue))
        {
            // Go checks utf8.ValidString; a .NET string can only be "invalid" by holding a lone surrogate.
            throw new MatcherParseException(input, $"matcher value not valid UTF-8 (it contains an unpaired surrogate): {quotedValue}");
        }

        var value = new StringBuilder(rawValue.Length);
        var escaped = false;
        for (var i = 0; i < rawValue.Length; i++)
        {
            var c = rawValue[i];
            if (escaped)
            {
                escaped = false;
                switch (c)
                {
                    case 'n':
                        value.Append('\n');
                        break;
                    case '"':
                    case '\\':
                        value.Append(c);
                        break;
                    default:
                        // A spurious escape: keep the backslash literally.
                        value.Append('\\').Append(c);
                        break;
                }

                continue;
            }

            switch (c)
            {
                case '\\':
                    if (i < rawValue.Length - 1)
                    {
                        escaped = true;
                        continue;
                    }

                    // A backslash as the last character is literal.
                    value.Append('\\');
                    break;
                case '"':
                    if (!expectTrailingQuote || i < rawValue.Length - 1)
                    {
                        throw new MatcherParseException(input, $"matcher value contains unescaped double quote: {quotedValue}");
                    }

                    expectTrailingQuote = false;
                    break;
                default:
                    value.Append(c);
                    break;
            }
        }

        if (expectTrailingQuote)
        {
            throw new MatcherParseException(input, $"matcher value contains unescaped double quote: {quotedValue}");
        }

        return Matcher.Create(name, type, value.ToString(), input);
    }

    /// <summary>
    /// Parses a comma-separated list of matchers, e.g. <c>{foo="bar", dings!=bums, }</c>. One leading <c>{</c> and one
    /// trailing <c>}</c> are optional and trimmed; commas inside double quotes (other than <c>\"</c>) do not separate;
    /// a trailing comma plus whitespace is ignored. <c>{}</c> and the empty string give an empty list.
    /// </summary>
    /// <exception cref="MatcherParseException">Any of the matchers is invalid (including an empty one, as in <c>a=b,,c=d</c>); the exception names that matcher.</exception>
    public static IReadOnlyList<Matcher> ParseMatchers(string input)
    {
        ArgumentNullException.ThrowIfNull(input);

        var s = input;
        if (s.StartsWith('{'))
        {
            s = s[1..];
        }

        if (s.EndsWith('}'))
        {
            s = s[..^1];
        }

        // A port of Go's loop, including its quirks: only the last token is trimmed and may be empty, and ','
        // does not reset `escaped`.
        var tokens = new List<string>();
        var token = new StringBuilder();
        var insideQuotes = false;
        var escaped = false;
        foreach (var c in s)
        {
            switch (c)
            {
                case ',':
                    if (!insideQuotes)
                    {
                        tokens.Add(token.ToString());
                        token.Clear();
                        continue;
                    }

                    break;
                case '"':
                    if (!escaped)
                    {
                        insideQuotes = !insideQuotes;
                    }
                    else
                    {
                        escaped = false;
                    }

                    break;
                case '\\':
                    escaped = !escaped;
                    break;
                default:
                    escaped = false;
                    break;
            }

            token.Append(c);
        }

        // string.Trim and Go's strings.TrimSpace remove the same characters (Unicode White_Space).
        var last = token.ToString().Trim();
        if (last.Length != 0)
        {
            tokens.Add(last);
        }

        var matchers = new Matcher[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            matchers[i] = ParseMatcher(tokens[i]);
        }

        return matchers;
    }

    /// <summary>Like <see cref="ParseMatcher"/>, but returns <see langword="false"/> and the error message instead of throwing.</summary>
    public static bool TryParseMatcher(
        string? input,
        [NotNullWhen(true)] out Matcher? matcher,
        [NotNullWhen(false)] out string? error)
    {
        if (input is null)
        {
            matcher = null;
            error = "Invalid label matcher: the input is null.";
            return false;
        }

        try
        {
            matcher = ParseMatcher(input);
            error = null;
            return true;
        }
        catch (MatcherParseException ex)
        {
            matcher = null;
            error = ex.Message;
            return false;
        }
    }

    private static MatchType ParseOperator(string text) => text switch
    {
        "=" => MatchType.Equal,
        "!=" => MatchType.NotEqual,
        "=~" => MatchType.Regex,
        "!~" => MatchType.NotRegex,
        _ => throw new InvalidOperationException($"Unexpected operator '{text}'."),
    };

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    // Alertmanager: ^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*((?s).*?)\s*$ (Go RE2), translated so that it
    // means exactly the same in .NET:
    //  - Go's \s is ASCII-only [\t\n\f\r ] (no \v, no Unicode spaces), so it is spelled out;
    //  - Go's $ (no m flag) is the very end of the text, which is \z in .NET ($ would also match before a final \n);
    //  - '=~' is tried before '=' so "a=~b" is a regex matcher, not a = "~b";
    //  - the value "shortest text followed only by whitespace" ((?s).*?\s*$) is written as "everything up to the last
    //    non-whitespace character, if any", which picks the same text in linear rather than quadratic time.
    [GeneratedRegex(
        @"^[\t\n\f\r ]*([a-zA-Z_:][a-zA-Z0-9_:]*)[\t\n\f\r ]*(=~|=|!=|!~)[\t\n\f\r ]*((?s:.*[^\t\n\f\r ])?)[\t\n\f\r ]*\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex MatcherSyntax();
}

using System.Text;
using System.Text.RegularExpressions;

namespace AlertRelay.Core.Alerts;

/// <summary>A single Alertmanager label matcher such as <c>severity="critical"</c> or <c>instance=~"web-.*"</c>; immutable and thread-safe.</summary>
/// <remarks>
/// Mirrors Alertmanager's <c>pkg/labels.Matcher</c> (v0.25). Regular expressions are anchored to the whole label
/// value, as Alertmanager does with <c>"^(?:" + value + ")$"</c>. Here the closing anchor is <c>\z</c> rather than
/// <c>$</c>, because in .NET <c>$</c> also matches just before a final <c>"\n"</c>, while in Go (without the
/// <c>m</c> flag) it only matches at the very end; <c>\z</c> is what gives Go's meaning.
/// <para>
/// The expression is run by .NET's regex engine, not Go's RE2, so a few things differ (deliberately not emulated):
/// </para>
/// <list type="bullet">
/// <item><c>\d</c>, <c>\w</c>, <c>\s</c> and <c>\b</c> are Unicode-aware in .NET but ASCII-only in RE2
/// (e.g. <c>\d</c> matches Arabic-Indic digits here, <c>\s</c> matches a no-break space).</item>
/// <item><c>.</c> and negated classes consume one UTF-16 code unit in .NET but one code point in Go, so a
/// character outside the BMP (e.g. an emoji) counts as two characters here.</item>
/// <item>RE2-only syntax is rejected as invalid: <c>(?P&lt;name&gt;…)</c>, <c>\Q…\E</c>, the <c>(?U)</c> flag,
/// the one-letter <c>\pL</c> form (write <c>\p{L}</c>). POSIX classes such as <c>[[:alpha:]]</c> are accepted
/// but mean a plain character set in .NET, not "letters".</item>
/// <item>.NET-only syntax that Alertmanager rejects is accepted: lookarounds, backreferences, atomic groups,
/// conditionals, <c>\Z</c>, <c>(?x)</c>, and repeat counts above 1000.</item>
/// <item>Case folding for <c>(?i)</c> uses invariant-culture rules rather than Go's Unicode simple folding.</item>
/// </list>
/// The regex is compiled with <see cref="RegexOptions.NonBacktracking"/> (linear time, like RE2) whenever that engine
/// supports the pattern; patterns it cannot handle (the .NET-only constructs above) fall back to the backtracking
/// engine, whose evaluation is bounded by <see cref="RegexMatchTimeout"/>. The linear engine has no timeout (nor has RE2 in
/// Alertmanager): a wall-clock bound on linear work only misfires when the machine is starved of CPU.
/// </remarks>
public sealed class Matcher
{
    /// <summary>How long one evaluation of a backtracking regex in <see cref="Matches"/> may run before it throws <see cref="RegexMatchTimeoutException"/>.</summary>
    public static TimeSpan RegexMatchTimeout { get; } = TimeSpan.FromMilliseconds(100);

    private const RegexOptions BaseRegexOptions = RegexOptions.CultureInvariant;

    private readonly Regex? _regex;

    private Matcher(string name, MatchType type, string value, Regex? regex)
    {
        Name = name;
        Type = type;
        Value = value;
        _regex = regex;
    }

    /// <summary>The label name the matcher applies to.</summary>
    public string Name { get; }

    /// <summary>The match operator.</summary>
    public MatchType Type { get; }

    /// <summary>The (unescaped) value to compare with; for <see cref="MatchType.Regex"/> and <see cref="MatchType.NotRegex"/>, the unanchored regular expression.</summary>
    public string Value { get; }

    /// <summary>Creates a matcher, compiling <paramref name="value"/> as an anchored regular expression for the regex operators.</summary>
    /// <exception cref="MatcherParseException">The type is a regex operator and <paramref name="value"/> is not a valid regular expression.</exception>
    /// <remarks>Like Alertmanager's <c>NewMatcher</c>, the label name is not validated.</remarks>
    public static Matcher Create(string name, MatchType type, string value) => Create(name, type, value, input: null);

    /// <summary>As <see cref="Create(string, MatchType, string)"/>, but a regex error names <paramref name="input"/> (the text being parsed) when given.</summary>
    internal static Matcher Create(string name, MatchType type, string value, string? input)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);

        Regex? regex = null;
        switch (type)
        {
            case MatchType.Equal:
            case MatchType.NotEqual:
                break;
            case MatchType.Regex:
            case MatchType.NotRegex:
                regex = CompileAnchored(value, input ?? Format(name, type, value));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown match type.");
        }

        return new Matcher(name, type, value, regex);
    }

    /// <summary>Whether a label value satisfies the matcher; <see langword="null"/> (a missing label) is treated as the empty string, as in Alertmanager.</summary>
    /// <exception cref="RegexMatchTimeoutException">Evaluating a backtracking regular expression took longer than <see cref="RegexMatchTimeout"/>.</exception>
    public bool Matches(string? value)
    {
        value ??= string.Empty;
        return Type switch
        {
            MatchType.Equal => string.Equals(value, Value, StringComparison.Ordinal),
            MatchType.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
            MatchType.Regex => _regex!.IsMatch(value),
            MatchType.NotRegex => !_regex!.IsMatch(value),
            _ => throw new InvalidOperationException($"Unknown match type {Type}."),
        };
    }

    /// <summary>Alertmanager's canonical text form: name, operator, then the value in double quotes with <c>\</c>, <c>"</c> and line feeds escaped, e.g. <c>foo=~"a\"b"</c>.</summary>
    public override string ToString() => Format(Name, Type, Value);

    /// <summary>The operator text for a match type: <c>=</c>, <c>!=</c>, <c>=~</c> or <c>!~</c>.</summary>
    internal static string OperatorText(MatchType type) => type switch
    {
        MatchType.Equal => "=",
        MatchType.NotEqual => "!=",
        MatchType.Regex => "=~",
        MatchType.NotRegex => "!~",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown match type."),
    };

    private static string Format(string name, MatchType type, string value)
    {
        // Alertmanager 0.25: fmt.Sprintf(`%s%s"%s"`, m.Name, m.Type, openMetricsEscape(m.Value)).
        var builder = new StringBuilder(name.Length + value.Length + 4);
        builder.Append(name).Append(OperatorText(type)).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    private static Regex CompileAnchored(string value, string input)
    {
        // Same wrapping as Alertmanager's regexp.Compile("^(?:" + v + ")$"); see the class remarks for \z.
        var pattern = "^(?:" + value + @")\z";
        try
        {
            try
            {
                return new Regex(pattern, BaseRegexOptions | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout);
            }
            catch (NotSupportedException)
            {
                // Backreferences, lookarounds, atomic groups, etc.: only the backtracking engine can run them.
                return new Regex(pattern, BaseRegexOptions, RegexMatchTimeout);
            }
        }
        catch (ArgumentException ex)
        {
            throw new MatcherParseException(input, $"invalid regular expression: {DescribeRegexError(value, ex)}", ex);
        }
    }

    private static string DescribeRegexError(string value, ArgumentException wrappedError)
    {
        // The error for the wrapped pattern can be misleading (for "a[b" it complains about the "\z" that ended up
        // inside the character class), so prefer the error for the user's expression on its own when it has one.
        // Validity is still decided on the wrapped pattern, as in Alertmanager ("a)|(b" is valid wrapped).
        try
        {
            _ = new Regex(value, BaseRegexOptions);
        }
        catch (ArgumentException standaloneError)
        {
            return standaloneError.Message;
        }

        return wrappedError.Message;
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AlertRelay.Core.Configuration;

/// <summary>Prometheus' duration syntax (<c>model.ParseDuration</c> in prometheus/common): <c>0</c>, <c>90s</c>, <c>15m</c>, <c>1h30m</c>, <c>1d</c>, <c>2w</c>, <c>1y</c>, <c>500ms</c>.</summary>
public static partial class PrometheusDuration
{
    private const long NanosecondsPerMillisecond = 1_000_000;
    private const long MillisecondsPerSecond = 1000;
    private const long MillisecondsPerMinute = 60 * MillisecondsPerSecond;
    private const long MillisecondsPerHour = 60 * MillisecondsPerMinute;
    private const long MillisecondsPerDay = 24 * MillisecondsPerHour;
    private const long MillisecondsPerWeek = 7 * MillisecondsPerDay;
    private const long MillisecondsPerYear = 365 * MillisecondsPerDay;

    // Units in the only order Prometheus accepts, largest first, each at most once.
    private static readonly (string Unit, long Milliseconds)[] Units =
    [
        ("y", MillisecondsPerYear),
        ("w", MillisecondsPerWeek),
        ("d", MillisecondsPerDay),
        ("h", MillisecondsPerHour),
        ("m", MillisecondsPerMinute),
        ("s", MillisecondsPerSecond),
        ("ms", 1),
    ];

    // Go's time.Duration is int64 nanoseconds: Prometheus rejects anything longer (about 292 years).
    private static readonly Int128 MaxNanoseconds = long.MaxValue;

    /// <summary>
    /// Parses a duration: one or more <c>&lt;digits&gt;&lt;unit&gt;</c> parts with units y (365d), w (7d), d (24h), h, m, s, ms,
    /// each at most once and largest first (<c>1h30m</c>, not <c>30m1h</c>), or a bare <c>0</c>. No sign, no fractions,
    /// no spaces.
    /// </summary>
    /// <exception cref="FormatException">The text is not a valid duration, or is longer than Go's time.Duration can hold.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/>, but returns <see langword="false"/> and Prometheus' error message instead of throwing.</summary>
    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty duration string";
            return false;
        }

        if (text == "0")
        {
            error = null;
            return true;
        }

        var match = Syntax().Match(text);
        if (!match.Success)
        {
            error = $"not a valid duration string: \"{text}\"";
            return false;
        }

        Int128 nanoseconds = 0;
        for (var i = 0; i < Units.Length; i++)
        {
            var digits = match.Groups[i + 1];
            if (!digits.Success)
            {
                continue;
            }

            if (!Int128.TryParse(digits.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ||
                count > MaxNanoseconds / (Units[i].Milliseconds * NanosecondsPerMillisecond))
            {
                error = "duration out of range";
                return false;
            }

            nanoseconds += count * Units[i].Milliseconds * NanosecondsPerMillisecond;
            if (nanoseconds > MaxNanoseconds)
            {
                error = "duration out of range";
                return false;
            }
        }

        value = TimeSpan.FromTicks((long)(nanoseconds / TimeSpan.NanosecondsPerTick));
        error = null;
        return true;
    }

    /// <summary>Prometheus' canonical text for a duration (<c>model.Duration.String</c>): <c>0s</c>, <c>1h30m</c>, <c>1w2d</c>; below a millisecond is dropped.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The duration is negative.</exception>
    public static string Format(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        var milliseconds = value.Ticks / TimeSpan.TicksPerMillisecond;
        if (milliseconds == 0)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        foreach (var (unit, size) in Units)
        {
            var count = milliseconds / size;
            if (count > 0)
            {
                builder.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                milliseconds -= count * size;
            }
        }

        return builder.ToString();
    }

    // prometheus/common: ^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$
    // with only the digit groups capturing, and \z for Go's $ (see Matcher's remarks).
    [GeneratedRegex(
        @"^(?:([0-9]+)y)?(?:([0-9]+)w)?(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?(?:([0-9]+)ms)?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex Syntax();
}

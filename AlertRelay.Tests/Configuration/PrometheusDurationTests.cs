using AlertRelay.Core.Configuration;

namespace AlertRelay.Tests.Configuration;

/// <summary>Tests for <see cref="PrometheusDuration"/>, after prometheus/common's <c>model/time_test.go</c>.</summary>
public sealed class PrometheusDurationTests
{
    /// <summary>A duration that parses; <see cref="Canonical"/> is what <see cref="PrometheusDuration.Format"/> gives back.</summary>
    public sealed record ValidCase(string Name, string Text, TimeSpan Expected, string Canonical)
    {
        public override string ToString() => Name;
    }

    /// <summary>A text that must be rejected, with the start of the error.</summary>
    public sealed record InvalidCase(string Name, string Text, string Error)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<ValidCase> ValidCases() =>
    [
        new("bare zero", "0", TimeSpan.Zero, "0s"),
        new("zero seconds", "0s", TimeSpan.Zero, "0s"),
        new("zero with a big unit", "0w", TimeSpan.Zero, "0s"),
        new("milliseconds", "324ms", TimeSpan.FromMilliseconds(324), "324ms"),
        new("seconds", "3s", TimeSpan.FromSeconds(3), "3s"),
        new("minutes", "5m", TimeSpan.FromMinutes(5), "5m"),
        new("hours", "1h", TimeSpan.FromHours(1), "1h"),
        new("days", "4d", TimeSpan.FromDays(4), "4d"),
        new("weeks", "4w", TimeSpan.FromDays(28), "4w"),
        new("a year is 365 days", "1y", TimeSpan.FromDays(365), "1y"),
        new("combined", "1h30m", TimeSpan.FromMinutes(90), "1h30m"),
        new("every unit", "1y1w1d1h1m1s1ms", TimeSpan.FromMilliseconds(32230861001), "1y1w1d1h1m1s1ms"),
        new("overflowing units are kept as written", "90s", TimeSpan.FromSeconds(90), "1m30s"),
        new("days are normalised to weeks on output", "14d", TimeSpan.FromDays(14), "2w"),
        new("leading zeros", "015m", TimeSpan.FromMinutes(15), "15m"),
        new("longest Go duration in ms", "9223372036854ms", TimeSpan.FromMilliseconds(9223372036854), "292y24w3d23h47m16s854ms"),
    ];

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Parse_ReturnsDuration_WhenTextIsValid(ValidCase testCase)
    {
        Assert.Equal(testCase.Expected, PrometheusDuration.Parse(testCase.Text));
        Assert.Equal(testCase.Canonical, PrometheusDuration.Format(testCase.Expected));
    }

    public static TheoryData<InvalidCase> InvalidCases() =>
    [
        new("empty", "", "empty duration string"),
        new("no unit", "15", "not a valid duration string: \"15\""),
        new("unknown unit", "1M", "not a valid duration string"),
        new("units out of order", "30m1h", "not a valid duration string"),
        new("unit twice", "1h1h", "not a valid duration string"),
        new("fraction", "1.5h", "not a valid duration string"),
        new("negative", "-1m", "not a valid duration string"),
        new("plus sign", "+1m", "not a valid duration string"),
        new("space between parts", "1h 30m", "not a valid duration string"),
        new("surrounding space", " 1h", "not a valid duration string"),
        new("words", "15 minutes", "not a valid duration string"),
        new("Go-only unit", "1us", "not a valid duration string"),
        new("unit without a number", "h", "not a valid duration string"),
        new("trailing newline", "1h\n", "not a valid duration string"),
        new("non-ASCII digits", "\u0661h", "not a valid duration string"),
        new("longer than Go's time.Duration", "293y", "duration out of range"),
        new("sum longer than Go's time.Duration", "292y52w", "duration out of range"),
        new("huge number", "99999999999999999999999999999999999999999999s", "duration out of range"),
    ];

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void TryParse_ReturnsError_WhenTextIsInvalid(InvalidCase testCase)
    {
        Assert.False(PrometheusDuration.TryParse(testCase.Text, out _, out var error));
        Assert.StartsWith(testCase.Error, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PrometheusDuration.Parse(testCase.Text));
    }

    [Fact]
    public void Format_DropsBelowMilliseconds_WhenDurationHasTicks()
    {
        Assert.Equal("1s", PrometheusDuration.Format(TimeSpan.FromSeconds(1) + TimeSpan.FromTicks(9999)));
        Assert.Equal("0s", PrometheusDuration.Format(TimeSpan.FromTicks(1)));
    }
}

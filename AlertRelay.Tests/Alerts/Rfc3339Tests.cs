using AlertRelay.Core.Alerts;

namespace AlertRelay.Tests.Alerts;

public class Rfc3339Tests
{
    [Theory]
    [InlineData("2026-11-24T22:32:30.278737875Z", "2026-11-24T22:32:30.278Z")]
    [InlineData("2026-11-24T22:32:30.278Z", "2026-11-24T22:32:30.278Z")]
    [InlineData("2026-11-24T22:32:30Z", "2026-11-24T22:32:30.000Z")]
    [InlineData("2026-11-24T23:32:30.278+01:00", "2026-11-24T22:32:30.278Z")]
    [InlineData("2026-11-24T17:02:30.278737875-05:30", "2026-11-24T22:32:30.278Z")]
    [InlineData("2026-11-24t22:32:30.278z", "2026-11-24T22:32:30.278Z")]
    public void TryParse_ReadsTheSameInstant_WhateverThePrecisionOrOffset(string text, string expectedUtc)
    {
        Assert.True(Rfc3339.TryParse(text, out var value));

        Assert.Equal(expectedUtc, Rfc3339.Format(UnixMillis.Truncate(value)));
    }

    [Theory]
    [InlineData("2026-11-24T22:32:30")] // no zone
    [InlineData("2026-11-24 22:32:30Z")]
    [InlineData("24/11/2026 22:32:30Z")]
    [InlineData("2026-11-24T22:32:30.Z")]
    [InlineData("2026-13-24T22:32:30Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TryParse_Rejects_WhenTheTextIsNotRfc3339(string text)
    {
        Assert.False(Rfc3339.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_ReadsGosZeroTime()
    {
        Assert.True(Rfc3339.TryParse("0001-01-01T00:00:00Z", out var value));
        Assert.Equal(1, value.Year);
    }
}

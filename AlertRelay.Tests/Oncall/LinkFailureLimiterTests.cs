using AlertRelay.Core.Oncall;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Oncall;

public sealed class LinkFailureLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void IsLimited_IsTrue_AfterMaxFailuresWithinTheWindow()
    {
        var limiter = new LinkFailureLimiter(_time, maxFailures: 3, window: TimeSpan.FromMinutes(5));

        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");
        var beforeThird = limiter.IsLimited("10.0.0.1");
        _time.Advance(TimeSpan.FromMinutes(4));
        limiter.RecordFailure("10.0.0.1");

        Assert.False(beforeThird);
        Assert.True(limiter.IsLimited("10.0.0.1"));
        Assert.False(limiter.IsLimited("10.0.0.2"));
    }

    [Fact]
    public void IsLimited_IsFalse_OnceTheWindowEnded()
    {
        var limiter = new LinkFailureLimiter(_time, maxFailures: 2, window: TimeSpan.FromMinutes(5));
        limiter.RecordFailure("10.0.0.1");
        limiter.RecordFailure("10.0.0.1");

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        var justBefore = limiter.IsLimited("10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(justBefore);
        Assert.False(limiter.IsLimited("10.0.0.1"));
    }

    [Fact]
    public void RecordFailure_StartsANewWindow_AfterTheOldOneEnded()
    {
        var limiter = new LinkFailureLimiter(_time, maxFailures: 2, window: TimeSpan.FromMinutes(5));
        limiter.RecordFailure("10.0.0.1");
        _time.Advance(TimeSpan.FromMinutes(6));

        limiter.RecordFailure("10.0.0.1");

        Assert.False(limiter.IsLimited("10.0.0.1"));
    }

    [Fact]
    public void RecordFailure_ForgetsTheOldestAddress_WhenFull()
    {
        var limiter = new LinkFailureLimiter(_time, maxFailures: 1, window: TimeSpan.FromMinutes(5), maxAddresses: 2);
        limiter.RecordFailure("10.0.0.1");
        _time.Advance(TimeSpan.FromSeconds(1));
        limiter.RecordFailure("10.0.0.2");
        _time.Advance(TimeSpan.FromSeconds(1));

        limiter.RecordFailure("10.0.0.3");

        Assert.Equal((false, true, true), (limiter.IsLimited("10.0.0.1"), limiter.IsLimited("10.0.0.2"), limiter.IsLimited("10.0.0.3")));
    }
}

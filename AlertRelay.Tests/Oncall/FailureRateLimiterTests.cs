using AlertRelay.Core.Oncall;

namespace AlertRelay.Tests.Oncall;

public class FailureRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecordFailure_LimitsAfterMaxFailures_WhenInOneWindow()
    {
        var limiter = new FailureRateLimiter(3, TimeSpan.FromMinutes(1));

        var verdicts = Enumerable.Range(0, 5).Select(i => limiter.RecordFailure("10.0.0.1", Start.AddSeconds(i))).ToList();

        Assert.Equal([false, false, false, true, true], verdicts);
        Assert.True(limiter.IsLimited("10.0.0.1", Start.AddSeconds(10)));
    }

    [Fact]
    public void IsLimited_IsFalse_ForOtherSources()
    {
        var limiter = new FailureRateLimiter(2, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 5; i++)
        {
            limiter.RecordFailure("10.0.0.1", Start);
        }

        Assert.False(limiter.IsLimited("10.0.0.2", Start));
        Assert.False(limiter.RecordFailure("10.0.0.2", Start));
    }

    [Fact]
    public void IsLimited_IsFalse_WhenTheWindowHasEnded()
    {
        var limiter = new FailureRateLimiter(2, TimeSpan.FromMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            limiter.RecordFailure("10.0.0.1", Start);
        }

        Assert.True(limiter.IsLimited("10.0.0.1", Start.AddSeconds(59)));
        Assert.False(limiter.IsLimited("10.0.0.1", Start.AddMinutes(1)));
        Assert.False(limiter.RecordFailure("10.0.0.1", Start.AddMinutes(1))); // a new window: the first failure of it
    }

    [Fact]
    public void RecordFailure_ForgetsEndedWindows_WhenManySourcesFail()
    {
        var limiter = new FailureRateLimiter(1, TimeSpan.FromMinutes(1), maxSources: 10);
        limiter.RecordFailure("victim", Start);
        limiter.RecordFailure("victim", Start);
        for (var i = 0; i < 50; i++)
        {
            limiter.RecordFailure($"10.0.0.{i}", Start.AddMinutes(2));
        }

        // Bounded memory: the oldest entries went; what is kept still limits.
        Assert.False(limiter.IsLimited("victim", Start.AddSeconds(30)));
        Assert.True(limiter.RecordFailure("10.0.0.49", Start.AddMinutes(2)));
    }
}

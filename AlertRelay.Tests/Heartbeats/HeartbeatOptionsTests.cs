using AlertRelay.Core.Heartbeats;

namespace AlertRelay.Tests.Heartbeats;

/// <summary>The heartbeat pass's settings (<c>AlertRelay:Heartbeats</c>).</summary>
public sealed class HeartbeatOptionsTests
{
    [Theory]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(3600, true)]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(3601, false)]
    public void Validate_AcceptsOnlyOneSecondToAnHour_WhenCheckIntervalSecondsIsSet(int seconds, bool valid)
    {
        var errors = new HeartbeatOptions { CheckIntervalSeconds = seconds }.Validate().ToList();

        Assert.Equal(valid, errors.Count == 0);
    }

    [Fact]
    public void CheckIntervalSeconds_Is5_WhenNotSet() => Assert.Equal(5, new HeartbeatOptions().CheckIntervalSeconds);
}

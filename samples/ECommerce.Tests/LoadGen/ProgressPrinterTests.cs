using ECommerce.LoadGen;

namespace ECommerce.Tests.LoadGen;

public sealed class ProgressPrinterTests
{
    [Fact]
    public void Format_ShowsRequestsRateErrorsAndP95_WhenGivenTwoSnapshots()
    {
        var previous = new LoadSnapshot(TimeSpan.FromSeconds(10), 1000, 1, TimeSpan.FromMilliseconds(9), 5, 5);
        var current = new LoadSnapshot(TimeSpan.FromSeconds(15), 1600, 3, TimeSpan.FromMilliseconds(12.34), 5, 5);

        Assert.Equal("[00:00:15] users 5/5  requests 1600  rps 120.0  errors 3  p95 12.3 ms", ProgressPrinter.Format(current, previous));
    }
}

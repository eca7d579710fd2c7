using ECommerce.LoadGen;

namespace ECommerce.Tests.LoadGen;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_IsWithin2Percent_WhenValuesAreSpreadEvenly()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.Equal(1000, histogram.Count);
        Assert.InRange(histogram.Percentile(0.50).TotalMilliseconds, 500, 510);
        Assert.InRange(histogram.Percentile(0.95).TotalMilliseconds, 950, 969);
        Assert.InRange(histogram.Percentile(0.99).TotalMilliseconds, 990, 1000);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), histogram.Percentile(1));
    }

    [Fact]
    public void Percentile_IsZero_WhenNothingWasRecorded()
    {
        Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(0.95));
    }

    [Fact]
    public void Percentile_IsTheLargestValue_WhenItsBucketReachesHigher()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMilliseconds(3));

        Assert.Equal(TimeSpan.FromMilliseconds(3), histogram.Percentile(0.99));
    }
}

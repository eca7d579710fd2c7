namespace ECommerce.LoadGen;

/// <summary>
/// A lock-free latency histogram with buckets 2% apart (10 µs to about 2 minutes), so percentiles cost a
/// walk over a thousand counters however many requests were made, and are exact to within 2%.
/// </summary>
public sealed class LatencyHistogram
{
    private const double SmallestMicroseconds = 10;
    private const double Growth = 1.02;
    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(120_000_000 / SmallestMicroseconds) / LogGrowth) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _maxTicks;

    /// <summary>How many latencies were recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records one latency.</summary>
    public void Record(TimeSpan latency)
    {
        var microseconds = Math.Max(latency.TotalMicroseconds, 0);
        var bucket = microseconds <= SmallestMicroseconds
            ? 0
            : Math.Min(BucketCount - 1, (int)Math.Ceiling(Math.Log(microseconds / SmallestMicroseconds) / LogGrowth));
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _count);

        var ticks = latency.Ticks;
        var max = Interlocked.Read(ref _maxTicks);
        while (ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxTicks, ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The latency below which <paramref name="quantile"/> (0..1) of the recorded ones fall; zero when none were.</summary>
    public TimeSpan Percentile(double quantile)
    {
        var count = Count;
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count));
        long seen = 0;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            seen += Interlocked.Read(ref _counts[bucket]);
            if (seen >= rank)
            {
                var upper = TimeSpan.FromMicroseconds(SmallestMicroseconds * Math.Pow(Growth, bucket));
                var max = TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks));
                return upper < max ? upper : max;
            }
        }

        return TimeSpan.FromTicks(Interlocked.Read(ref _maxTicks));
    }
}

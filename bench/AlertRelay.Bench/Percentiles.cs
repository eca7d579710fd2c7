using System.Diagnostics;

namespace AlertRelay.Bench;

/// <summary>Nearest-rank percentiles of a set of durations in milliseconds (the definition <see cref="LoadResult"/> uses).</summary>
public sealed class Percentiles
{
    private readonly double[] _sortedMs;

    public Percentiles(IEnumerable<double> milliseconds)
    {
        _sortedMs = [.. milliseconds];
        Array.Sort(_sortedMs);
    }

    public int Count => _sortedMs.Length;

    public double P50 => At(0.50);

    public double P99 => At(0.99);

    public double Max => At(1.0);

    public double Min => _sortedMs.Length == 0 ? double.NaN : _sortedMs[0];

    public static Percentiles OfTicks(IEnumerable<long> stopwatchTicks) =>
        new(stopwatchTicks.Select(t => t * 1000.0 / Stopwatch.Frequency));

    public double At(double quantile) =>
        _sortedMs.Length == 0 ? double.NaN
            : _sortedMs[Math.Clamp((int)Math.Ceiling(quantile * _sortedMs.Length) - 1, 0, _sortedMs.Length - 1)];
}

using System.Collections.Concurrent;
using System.Globalization;

namespace ECommerce.LoadGen;

/// <summary>Thread-safe tallies of a run: per step and overall latencies, errors, and errors by status.</summary>
public sealed class LoadStats
{
    private readonly ConcurrentDictionary<string, Tally> _steps = new();
    private readonly Tally _overall = new();
    private readonly ConcurrentDictionary<string, long> _errorsByStatus = new();

    /// <summary>Records an HTTP answer; a status of 400 or more counts as an error.</summary>
    public void Record(string step, TimeSpan latency, int status)
    {
        var error = status >= 400;
        Add(step, latency, error);
        if (error)
        {
            _errorsByStatus.AddOrUpdate(status.ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
        }
    }

    /// <summary>Records a request that got no answer (<paramref name="reason"/>: connection, timeout).</summary>
    public void RecordFailure(string step, TimeSpan latency, string reason)
    {
        Add(step, latency, error: true);
        _errorsByStatus.AddOrUpdate(reason, 1, (_, n) => n + 1);
    }

    /// <summary>All requests recorded so far.</summary>
    public long Requests => _overall.Latencies.Count;

    /// <summary>All errors recorded so far.</summary>
    public long Errors => Interlocked.Read(ref _overall.Errors);

    /// <summary>The overall 95th percentile so far.</summary>
    public TimeSpan P95 => _overall.Latencies.Percentile(0.95);

    /// <summary>A row per step in <paramref name="order"/> (steps never run are left out), and the overall row.</summary>
    public (IReadOnlyList<StepReport> Steps, StepReport Overall, IReadOnlyDictionary<string, long> ErrorsByStatus) Summarize(
        IEnumerable<string> order) =>
        (order.Where(_steps.ContainsKey).Select(step => Row(step, _steps[step])).ToArray(),
         Row("overall", _overall),
         new SortedDictionary<string, long>(_errorsByStatus, StringComparer.Ordinal));

    private void Add(string step, TimeSpan latency, bool error)
    {
        var tally = _steps.GetOrAdd(step, _ => new Tally());
        tally.Latencies.Record(latency);
        _overall.Latencies.Record(latency);
        if (error)
        {
            Interlocked.Increment(ref tally.Errors);
            Interlocked.Increment(ref _overall.Errors);
        }
    }

    private static StepReport Row(string step, Tally tally) => new(
        step,
        tally.Latencies.Count,
        Interlocked.Read(ref tally.Errors),
        tally.Latencies.Percentile(0.50),
        tally.Latencies.Percentile(0.95),
        tally.Latencies.Percentile(0.99));

    private sealed class Tally
    {
        public readonly LatencyHistogram Latencies = new();
        public long Errors;
    }
}

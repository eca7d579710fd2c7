namespace AlertRelay.Core.Oncall;

/// <summary>
/// Counts failed verifications (Slack signatures, signed links) per source (a remote address) in fixed windows: after <see cref="MaxFailures"/> failures in one
/// <see cref="Window"/>, <see cref="IsLimited"/> says so until the window ends. Only failures count, so a source that signs
/// correctly is never limited. Thread-safe; the clock is passed in.
/// </summary>
public sealed class FailureRateLimiter(int maxFailures, TimeSpan window, int maxSources = 10_000)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int MaxFailures { get; } = maxFailures > 0 ? maxFailures : throw new ArgumentOutOfRangeException(nameof(maxFailures));

    public TimeSpan Window { get; } = window > TimeSpan.Zero ? window : throw new ArgumentOutOfRangeException(nameof(window));

    /// <summary>Whether <paramref name="source"/> has already failed <see cref="MaxFailures"/> times in its current window.</summary>
    public bool IsLimited(string source, DateTimeOffset now)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(source, out var entry) && now < entry.Start + Window && entry.Failures >= MaxFailures;
        }
    }

    /// <summary>Counts a failure of <paramref name="source"/>; true when it is now over the limit (this failure included).</summary>
    public bool RecordFailure(string source, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(source, out var entry) || now >= entry.Start + Window)
            {
                if (_entries.Count >= maxSources)
                {
                    Prune(now);
                }

                entry = new Entry(now, 0);
            }

            entry = entry with { Failures = entry.Failures + 1 };
            _entries[source] = entry;
            return entry.Failures > MaxFailures;
        }
    }

    // Many sources (a scan from many addresses) must not grow memory without bound: drop ended windows, then the oldest.
    private void Prune(DateTimeOffset now)
    {
        foreach (var ended in _entries.Where(e => now >= e.Value.Start + Window).Select(e => e.Key).ToList())
        {
            _entries.Remove(ended);
        }

        if (_entries.Count >= maxSources)
        {
            foreach (var oldest in _entries.OrderBy(e => e.Value.Start).Take(_entries.Count - maxSources + 1).Select(e => e.Key).ToList())
            {
                _entries.Remove(oldest);
            }
        }
    }

    private readonly record struct Entry(DateTimeOffset Start, int Failures);
}

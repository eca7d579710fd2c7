namespace AlertRelay.Core.Oncall;

/// <summary>
/// Limits guessing: after <see cref="MaxFailures"/> failed link verifications from one address within <see cref="Window"/>, that
/// address is refused until its window ends. A fixed window per address, in memory (per replica); the oldest addresses are forgotten
/// past <see cref="MaxAddresses"/> so that a flood of addresses cannot grow it without bound.
/// </summary>
public sealed class LinkFailureLimiter(TimeProvider time, int maxFailures = 10, TimeSpan? window = null, int maxAddresses = 10_000)
{
    private readonly Dictionary<string, (DateTimeOffset Start, int Failures)> _windows = [];
    private readonly Lock _lock = new();

    public int MaxFailures { get; } = maxFailures;

    public TimeSpan Window { get; } = window ?? TimeSpan.FromMinutes(5);

    public int MaxAddresses { get; } = maxAddresses;

    /// <summary>Whether <paramref name="address"/> is refused now.</summary>
    public bool IsLimited(string address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return _windows.TryGetValue(address, out var w) && now - w.Start < Window && w.Failures >= MaxFailures;
        }
    }

    /// <summary>Counts a failed verification from <paramref name="address"/>.</summary>
    public void RecordFailure(string address)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.TryGetValue(address, out var w) && now - w.Start < Window)
            {
                _windows[address] = (w.Start, w.Failures + 1);
                return;
            }

            if (_windows.Count >= MaxAddresses)
            {
                Forget(now);
            }

            _windows[address] = (now, 1);
        }
    }

    /// <summary>Drops the windows that ended; if all are current, the oldest.</summary>
    private void Forget(DateTimeOffset now)
    {
        foreach (var ended in _windows.Where(p => now - p.Value.Start >= Window).Select(p => p.Key).ToList())
        {
            _windows.Remove(ended);
        }

        if (_windows.Count >= MaxAddresses)
        {
            _windows.Remove(_windows.MinBy(p => p.Value.Start).Key);
        }
    }
}

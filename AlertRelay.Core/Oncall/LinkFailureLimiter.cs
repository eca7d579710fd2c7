namespace AlertRelay.Core.Oncall;

/// <summary>
/// Limits guessing at links: after <see cref="MaxFailures"/> failed link verifications from one address within
/// <see cref="Window"/>, that address is refused until its window ends. The same <see cref="FailureRateLimiter"/> as Slack's
/// interaction endpoint (in memory, per replica, bounded to <see cref="MaxAddresses"/> addresses), read on the host's clock.
/// </summary>
public sealed class LinkFailureLimiter(TimeProvider time, int maxFailures = 10, TimeSpan? window = null, int maxAddresses = 10_000)
{
    private readonly FailureRateLimiter _limiter = new(maxFailures, window ?? TimeSpan.FromMinutes(5), maxAddresses);

    public int MaxFailures => _limiter.MaxFailures;

    public TimeSpan Window => _limiter.Window;

    public int MaxAddresses { get; } = maxAddresses;

    /// <summary>Whether <paramref name="address"/> is refused now.</summary>
    public bool IsLimited(string address) => _limiter.IsLimited(address, time.GetUtcNow());

    /// <summary>Counts a failed verification from <paramref name="address"/>.</summary>
    public void RecordFailure(string address) => _limiter.RecordFailure(address, time.GetUtcNow());
}

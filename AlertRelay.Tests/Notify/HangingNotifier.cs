using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify;

/// <summary>A hand-written notifier whose sends hang until the clock passes its timeout, then fail as a timed-out HTTP call does: retry later.</summary>
public sealed class HangingNotifier(string integration, TimeProvider time, TimeSpan timeout) : INotifier
{
    private int _started;
    private int _ended;

    public string Integration { get; } = integration;

    /// <summary>Sends that are waiting for the timeout (their timer is set: advancing a fake clock ends them).</summary>
    public int Started => Volatile.Read(ref _started);

    public int Ended => Volatile.Read(ref _ended);

    public async Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        var hang = Task.Delay(timeout, time, cancellationToken);
        Interlocked.Increment(ref _started);
        await hang;
        Interlocked.Increment(ref _ended);
        return NotifyResult.RetryLater($"{Integration}: timed out");
    }
}

using System.Collections.Concurrent;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;

namespace AlertRelay.Tests.Notify;

/// <summary>A hand-written notifier: records what it is asked to send and answers with scripted results (delivered by default).</summary>
public sealed class RecordingNotifier(string integration) : INotifier
{
    private readonly ConcurrentQueue<NotifyResult> _scripted = new();
    private int _ts;

    public string Integration { get; } = integration;

    public ConcurrentQueue<(NotificationTarget Target, NotificationMessage Message)> Sent { get; } = new();

    /// <summary>The next results to return, in order; after them every send is delivered.</summary>
    public RecordingNotifier Then(params NotifyResult[] results)
    {
        foreach (var result in results)
        {
            _scripted.Enqueue(result);
        }

        return this;
    }

    public Task<NotifyResult> SendAsync(RelayConfig config, NotificationTarget target, NotificationMessage message, CancellationToken cancellationToken)
    {
        Sent.Enqueue((target, message));
        if (_scripted.TryDequeue(out var scripted))
        {
            return Task.FromResult(scripted);
        }

        var ts = Interlocked.Increment(ref _ts);
        return Task.FromResult(NotifyResult.Delivered(new DeliveryRef("C1", $"1732560000.{ts:000000}", $"<{message.NotificationId}@relay>")));
    }
}

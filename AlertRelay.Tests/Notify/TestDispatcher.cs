using AlertRelay.Core.Configuration;
using AlertRelay.Core.Notify;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AlertRelay.Tests.Notify;

/// <summary>Outbox dispatchers for tests, built as the host builds them, and run one turn of the production loop at a time.</summary>
public static class TestDispatcher
{
    /// <summary>A dispatcher over <paramref name="store"/> with a fixed configuration and no jitter (every backoff is its nominal length).</summary>
    public static OutboxDispatcher Create(
        IOutboxStore store, RelayConfig config, TimeProvider time, NotifyOptions options, OutboxSignal signal, params INotifier[] notifiers) =>
        Create(store, config, time, options, signal, metrics: null, notifiers);

    /// <summary>The same, recording on <paramref name="metrics"/>.</summary>
    public static OutboxDispatcher Create(
        IOutboxStore store, RelayConfig config, TimeProvider time, NotifyOptions options, OutboxSignal signal, NotifyMetrics? metrics,
        params INotifier[] notifiers)
    {
        var logger = NullLogger<OutboxDispatcher>.Instance;
        var recorder = new OutcomeRecorder(store, new RetryPolicy(options, () => 0.5), time, logger, metrics);
        return new OutboxDispatcher(
            store, recorder, RelayConfigProvider.Fixed(config, time, NullLogger.Instance), notifiers, signal, time, Options.Create(options), logger, metrics);
    }

    /// <summary>One turn (<see cref="OutboxDispatcher.RunOnceAsync"/>), then waits until the sends it started are recorded; returns how many it claimed.</summary>
    public static async Task<int> TurnAsync(this OutboxDispatcher dispatcher)
    {
        var claimed = await dispatcher.RunOnceAsync(CancellationToken.None);
        await dispatcher.DrainAsync();
        return claimed;
    }

    /// <summary>
    /// Whether anything is left to deliver (again): one turn of a dispatcher whose clock is past every lease taken by
    /// <paramref name="now"/>, with recording notifiers for every integration. Returns how many it claimed and what it sent.
    /// </summary>
    public static async Task<(int Claimed, int Sent)> TurnPastTheLeaseAsync(IOutboxStore store, RelayConfig config, NotifyOptions options, DateTimeOffset now)
    {
        var time = new FakeTimeProvider(now + TimeSpan.FromSeconds(options.LeaseSeconds + 1));
        var notifiers = new[] { new RecordingNotifier(Integrations.Slack), new RecordingNotifier(Integrations.Email) };
        var claimed = await Create(store, config, time, options, new OutboxSignal(), notifiers).TurnAsync();
        return (claimed, notifiers.Sum(n => n.Sent.Count));
    }
}

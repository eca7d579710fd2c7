using System.Collections.Concurrent;
using System.Diagnostics;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Delivers queued notifications, at least once, one lane per target (one <c>slack_configs</c> or <c>email_configs</c> entry of a
/// receiver): claims due notifications with a lease (a crash re-delivers when it ends), sends each through its integration's
/// notifier, and hands the result to <see cref="OutcomeRecorder"/>. A lane sends at most <see cref="PerTargetConcurrency"/> at a
/// time, the next as soon as a send ends, so a slow or unreachable integration holds up nobody but itself. A resolve waits until the
/// firing notification it follows is delivered, and a resolve of a digest's alerts until the earlier resolves of that digest are (the store
/// does not lease it before): each renders the digest as it is when sent, so the last update shows the latest state.
/// </summary>
/// <remarks>
/// <see cref="RunAsync"/> is the loop: <see cref="RunOnceAsync"/> (one turn), then <see cref="WaitAsync"/> when the turn claimed
/// nothing. Tests drive the same turns and wait with <see cref="DrainAsync"/>. One loop at a time: the lanes are not shared.
/// </remarks>
public sealed class OutboxDispatcher
{
    /// <summary>Sends in flight at once for one target; the rest of its claimed notifications wait their turn.</summary>
    public const int PerTargetConcurrency = 4;

    /// <summary>
    /// How long a message read with its claim is used as it is: a send that starts later (its lane was busy) reads the message again, so that
    /// what it shows (acknowledgement, silence, status) is never older than this.
    /// </summary>
    public static readonly TimeSpan PreloadedMessageMaxAge = TimeSpan.FromSeconds(1);

    private readonly Dictionary<NotificationTarget, Lane> _lanes = [];
    private readonly Dictionary<Task, (Lane Lane, ClaimedNotification Notification)> _sending = [];
    private readonly Dictionary<long, long> _leases = []; // the claimed_until_ms this dispatcher set, per notification it holds
    private readonly ConcurrentDictionary<long, (NotificationMessage Message, long LoadedAt)> _preloaded = new(); // read with the claim
    private readonly IOutboxStore _store;
    private readonly OutcomeRecorder _recorder;
    private readonly RelayConfigProvider _config;
    private readonly Dictionary<string, INotifier> _notifiers;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly NotifyOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly NotifyMetrics _metrics;
    private Task<bool>? _wake;
    private DateTimeOffset _gaugesDue = DateTimeOffset.MinValue;

    public OutboxDispatcher(
        IOutboxStore store, OutcomeRecorder recorder, RelayConfigProvider config, IEnumerable<INotifier> notifiers, OutboxSignal signal,
        TimeProvider time, IOptions<NotifyOptions> options, ILogger<OutboxDispatcher> logger, NotifyMetrics? metrics = null)
    {
        _metrics = metrics ?? new NotifyMetrics(AlertRelayMeter.Unexported());
        _store = store;
        _recorder = recorder;
        _config = config;
        _notifiers = notifiers.ToDictionary(n => n.Integration, StringComparer.Ordinal);
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Runs until cancelled, delivering continuously; when cancelled, waits for the sends in flight to see it and end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (await RunOnceAsync(cancellationToken) > 0)
                {
                    continue; // the lanes now full are left out of the next claim: other targets may have more due
                }

                await WaitAsync(cancellationToken);
            }
        }
        finally
        {
            // What was not recorded is claimed again when its lease ends.
            await DrainAsync();
        }
    }

    /// <summary>
    /// One turn: forgets the sends that ended, claims due notifications for the lanes with room (up to
    /// <see cref="NotifyOptions.BatchSize"/> per target, claimed again once fewer than half are left), and starts sends while a lane
    /// has a free slot. Returns how many notifications it claimed. It does not wait for the sends.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        ForgetEndedSends();
        var config = _config.Current;
        var claimed = 0;
        try
        {
            await RenewLeasesAsync(cancellationToken);
            claimed = await ClaimAsync(cancellationToken);
            await UpdateGaugesWhenDueAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // State is in the store (a full disk, a lock held too long...); the next turn carries on.
            _logger.LogError(ex, "Outbox pass failed");
            claimed = 0;
        }

        foreach (var lane in _lanes.Values)
        {
            while (lane.Sending.Count < PerTargetConcurrency && lane.Waiting.TryDequeue(out var notification))
            {
                if (!_leases.TryGetValue(notification.Id, out var until) || until <= UnixMillis.From(_time.GetUtcNow()))
                {
                    // Its lease ran out while it waited (the store was out of reach): another replica may have it now. Not sent
                    // here; claimed again (by whichever dispatcher) once due.
                    _leases.Remove(notification.Id);
                    _preloaded.TryRemove(notification.Id, out _);
                    continue;
                }

                lane.Sending.Add(notification);
                _sending.Add(DeliverAndLogAsync(notification, config, cancellationToken), (lane, notification));
            }
        }

        return claimed;
    }

    /// <summary>Waits until a send ends (its slot is free), a commit queues notifications, or the poll interval passes.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        _wake ??= _signal.WaitAsync(TimeSpan.FromMilliseconds(_options.PollIntervalMilliseconds), _time, cancellationToken);
        var first = await Task.WhenAny(_sending.Keys.Append(_wake));
        if (first == _wake)
        {
            _wake = null;
            await first; // throws when cancelled
        }
    }

    /// <summary>Waits until every send started so far has ended and its outcome is recorded.</summary>
    public Task DrainAsync() => Task.WhenAll(_sending.Keys);

    private void ForgetEndedSends()
    {
        foreach (var ended in _sending.Keys.Where(t => t.IsCompleted).ToList())
        {
            var (lane, notification) = _sending[ended];
            _sending.Remove(ended);
            lane.Sending.Remove(notification);
            _leases.Remove(notification.Id);
            if (lane.Sending.Count == 0 && lane.Waiting.Count == 0)
            {
                _lanes.Remove(notification.Target);
            }
        }
    }

    private async Task<int> ClaimAsync(CancellationToken cancellationToken)
    {
        var held = _lanes.Values.SelectMany(l => l.Held).ToList();
        var claim = new OutboxClaim(
            _time.GetUtcNow(), TimeSpan.FromSeconds(_options.LeaseSeconds), _options.BatchSize, held,
            refillBelow: (_options.BatchSize + 1) / 2, perTarget: _options.BatchSize);
        var claimed = await _store.ClaimAsync(claim, cancellationToken);
        var until = UnixMillis.From(claim.Now) + (long)claim.Lease.TotalMilliseconds; // what the store set
        foreach (var notification in claimed)
        {
            _leases[notification.Id] = until;
            if (!_lanes.TryGetValue(notification.Target, out var lane))
            {
                _lanes[notification.Target] = lane = new Lane();
            }

            lane.Waiting.Enqueue(notification);
            if (notification.Reclaimed)
            {
                _metrics.Reclaimed.Add(1, new TagList { { "integration", notification.Target.Integration } });
                _logger.LogWarning(
                    "Notification {id} to {receiver} via {integration} was claimed before and no outcome was recorded (the relay stopped holding it); sending it now: if it was being sent then, the receiver gets it twice",
                    notification.Id, notification.Target.Receiver, notification.Target.Integration);
            }
        }

        await PreloadAsync(claimed, cancellationToken);
        return claimed.Count;
    }

    /// <summary>
    /// Reads the messages of a claim at once (one connection, the occurrences of all in one query) rather than each with its own when
    /// sent: in a burst that is what bounded deliveries per second. A failure here only means each send reads its own.
    /// </summary>
    private async Task PreloadAsync(IReadOnlyList<ClaimedNotification> claimed, CancellationToken cancellationToken)
    {
        foreach (var id in _preloaded.Keys.Where(id => !_leases.ContainsKey(id)).ToList())
        {
            _preloaded.TryRemove(id, out _); // dropped while waiting (its lease ran out)
        }

        if (claimed.Count == 0)
        {
            return;
        }

        try
        {
            var loadedAt = _time.GetTimestamp();
            var messages = await _store.LoadMessagesAsync(claimed, cancellationToken);
            for (var i = 0; i < claimed.Count; i++)
            {
                _preloaded[claimed[i].Id] = (messages[i], loadedAt);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Reading the messages of {count} claimed notifications at once failed; each is read when sent", claimed.Count);
        }
    }

    /// <summary>The message read with the claim, when it is recent enough; otherwise read now.</summary>
    private async Task<NotificationMessage> MessageAsync(ClaimedNotification notification, CancellationToken cancellationToken) =>
        _preloaded.TryRemove(notification.Id, out var preloaded) && _time.GetElapsedTime(preloaded.LoadedAt) <= PreloadedMessageMaxAge
            ? preloaded.Message
            : await _store.LoadMessageAsync(notification, cancellationToken);

    /// <summary>
    /// Extends the leases past their half of the notifications this dispatcher still holds (waiting their turn or being sent): a lane
    /// behind a slow integration may hold them longer than one lease, and another replica must not take them meanwhile. One whose
    /// lease could not be renewed (it ran out and someone else claimed it) is dropped when still waiting.
    /// </summary>
    private async Task RenewLeasesAsync(CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(_time.GetUtcNow());
        var leaseMs = _options.LeaseSeconds * 1000L;
        var due = _leases.Where(l => l.Value - nowMs < leaseMs / 2).Select(l => new OutboxLease(l.Key, l.Value)).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var untilMs = nowMs + leaseMs;
        var renewed = (await _store.RenewAsync(due, untilMs, cancellationToken)).ToHashSet();
        foreach (var lease in due)
        {
            if (renewed.Contains(lease.Id))
            {
                _leases[lease.Id] = untilMs;
            }
            else
            {
                _leases.Remove(lease.Id);
                _preloaded.TryRemove(lease.Id, out _);
            }
        }

        foreach (var lane in _lanes.Values)
        {
            var kept = lane.Waiting.Where(n => _leases.ContainsKey(n.Id)).ToList();
            if (kept.Count != lane.Waiting.Count)
            {
                var target = lane.Waiting.Peek().Target;
                _logger.LogWarning("{count} notifications to {receiver} via {integration} waited past their lease and were claimed elsewhere; left to that dispatcher",
                    lane.Waiting.Count - kept.Count, target.Receiver, target.Integration);
                lane.Waiting.Clear();
                kept.ForEach(lane.Waiting.Enqueue);
            }
        }
    }

    private async Task DeliverAndLogAsync(ClaimedNotification notification, RelayConfig config, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the turn goes on at once; the delivery runs on its own
        try
        {
            var started = _time.GetTimestamp();
            var result = await SendAsync(notification, config, cancellationToken);
            await _recorder.RecordAsync(notification, result, _time.GetElapsedTime(started), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Not a delivery failure (those are results) nor the store (the recorder retries): a bug. The lease ends and it is tried again.
            _logger.LogError(ex, "Delivering notification {id} to {receiver} via {integration} failed unexpectedly; it is tried again when its lease ends",
                notification.Id, notification.Target.Receiver, notification.Target.Integration);
        }
    }

    private async Task<NotifyResult> SendAsync(ClaimedNotification notification, RelayConfig config, CancellationToken cancellationToken)
    {
        var target = notification.Target;
        try
        {
            var message = await MessageAsync(notification, cancellationToken);
            if (ReminderText.Outdated(message, _time.GetUtcNow()) is { } outdated)
            {
                _logger.LogInformation("Reminder {id} to {receiver} via {integration} not sent: the alert was {why}",
                    notification.Id, target.Receiver, target.Integration, outdated);
                return NotifyResult.Delivered();
            }

            return !_notifiers.TryGetValue(target.Integration, out var notifier)
                ? NotifyResult.Permanent($"no notifier for integration \"{target.Integration}\"")
                : config.FindReceiver(target.Receiver) is null
                    ? NotifyResult.Permanent($"receiver \"{target.Receiver}\" is no longer configured")
                    : await notifier.SendAsync(config, target, message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A notifier should return a result; an exception is a bug or an unforeseen error: retry, do not lose it.
            _logger.LogError(ex, "Notifier {integration} threw for notification {id}", target.Integration, notification.Id);
            return NotifyResult.RetryLater($"unexpected error: {ex.Message}");
        }
    }

    private async Task UpdateGaugesWhenDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _gaugesDue)
        {
            return;
        }

        var gauges = await _store.GaugesAsync(cancellationToken);
        _metrics.Pending.Set(gauges.Pending);
        _metrics.Dead.Set(gauges.Dead);
        _metrics.OldestPendingAge.Set(
            gauges.OldestPendingCreatedAt is { } oldest ? Math.Max(0, (UnixMillis.From(now) - UnixMillis.From(oldest)) / 1000.0) : 0);
        _gaugesDue = _time.GetUtcNow().AddMilliseconds(_options.PollIntervalMilliseconds);
    }

    /// <summary>One target's notifications claimed by this process: waiting their turn, and being sent.</summary>
    private sealed class Lane
    {
        public Queue<ClaimedNotification> Waiting { get; } = new();

        public HashSet<ClaimedNotification> Sending { get; } = [];

        public IEnumerable<ClaimedNotification> Held => Waiting.Concat(Sending);
    }
}

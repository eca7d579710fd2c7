using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using AlertRelay.Core.Alerts;
using Microsoft.Extensions.Logging;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Records the outcomes of delivery attempts, as <see cref="RetryPolicy"/> decides them. Concurrent deliveries share one
/// transaction (one fsync, one turn at the write lock): the first caller to find the recorder free writes every outcome queued by
/// then, up to <see cref="MaxOutcomesPerCommit"/>, and the others wait for that commit. Metrics and logs follow the commit.
/// </summary>
/// <remarks>Logs under the dispatcher's category (<c>AlertRelay.Core.Notify.OutboxDispatcher</c>), the one operators filter the outbox by.</remarks>
public sealed class OutcomeRecorder(
    IOutboxStore store, RetryPolicy policy, TimeProvider time, ILogger<OutboxDispatcher> logger, NotifyMetrics? metrics = null)
{
    private readonly NotifyMetrics _metrics = metrics ?? new NotifyMetrics(AlertRelayMeter.Unexported());

    /// <summary>Most delivery outcomes recorded in one transaction.</summary>
    public const int MaxOutcomesPerCommit = 64;

    private readonly ConcurrentQueue<PendingOutcome> _queue = new();
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>
    /// Records the outcome of one attempt. When the store fails, tries again, backing off up to 5 s, until it takes it or
    /// <paramref name="cancellationToken"/> ends: the outcome is known here and nowhere else, and forgetting it would let the lease
    /// run out and send a delivered notification a second time.
    /// </summary>
    public async Task RecordAsync(ClaimedNotification notification, NotifyResult result, TimeSpan took, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitAsync(new PendingOutcome(notification, result, took), cancellationToken);
                if (attempt > 1)
                {
                    logger.LogInformation("Recorded the outcome of notification {id} after {attempts} tries", notification.Id, attempt);
                }

                return;
            }
            catch (DbException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The notification stays claimed by this process until the store takes its outcome.
                if (attempt == 1)
                {
                    logger.LogError(ex, "Recording the outcome of notification {id} to {receiver} via {integration} failed; retrying until the store takes writes again",
                        notification.Id, notification.Target.Receiver, notification.Target.Integration);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, 0.25 * attempt)), time, cancellationToken);
            }
        }
    }

    /// <summary>Queues the outcome and waits for the commit that writes it; throws when that commit failed.</summary>
    private async Task CommitAsync(PendingOutcome pending, CancellationToken cancellationToken)
    {
        _queue.Enqueue(pending);
        while (!pending.Done.Task.IsCompleted)
        {
            await _writer.WaitAsync(cancellationToken);
            try
            {
                if (pending.Done.Task.IsCompleted)
                {
                    break;
                }

                var batch = new List<PendingOutcome>();
                while (batch.Count < MaxOutcomesPerCommit && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await WriteAsync(batch, cancellationToken);
            }
            finally
            {
                _writer.Release();
            }
        }

        await pending.Done.Task;
    }

    private async Task WriteAsync(List<PendingOutcome> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcomes = batch
            .Select(p => new NotificationOutcome(p.Notification, p.Notification.Attempts + 1, policy.Decide(p.Notification.Attempts + 1, p.Result)))
            .ToList();
        IReadOnlyList<bool> recorded;
        try
        {
            recorded = await store.RecordAsync(outcomes, now, cancellationToken);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            Report(outcomes[i], recorded[i], now, batch[i].Took);
        }

        foreach (var pending in batch)
        {
            pending.Done.TrySetResult();
        }
    }

    /// <summary>Metrics and logs of a committed outcome.</summary>
    private void Report(NotificationOutcome outcome, bool recorded, DateTimeOffset now, TimeSpan took)
    {
        var notification = outcome.Notification;
        var (receiver, integration, _) = notification.Target;
        switch (outcome.Decision)
        {
            case DeliveryDecision.Delivered when recorded:
                var latencyMs = UnixMillis.From(now) - UnixMillis.From(notification.CreatedAt);
                _metrics.Sent.Add(1, new TagList { { "integration", integration }, { "receiver", receiver } });
                _metrics.Latency.Record(Math.Max(0, latencyMs) / 1000.0, new TagList { { "integration", integration } });
                logger.LogInformation("Delivered {kind} notification {id} to {receiver} via {integration} (attempt {attempt}, {ms} ms)",
                    Outbox.KindText(notification.Kind), notification.Id, receiver, integration, outcome.Attempt, (long)took.TotalMilliseconds);
                break;

            case DeliveryDecision.Retry retry:
                // Counted even when another dispatcher finished the notification meanwhile: this attempt failed either way.
                _metrics.Failed.Add(1, new TagList { { "integration", integration }, { "receiver", receiver }, { "reason", "retry" } });
                logger.LogWarning("Notification {id} to {receiver} via {integration} failed (attempt {attempt}): {reason}; retrying in {delay}",
                    notification.Id, receiver, integration, outcome.Attempt, retry.Reason, retry.Delay);
                break;

            case DeliveryDecision.Dead dead when recorded:
                _metrics.Failed.Add(1, new TagList { { "integration", integration }, { "receiver", receiver }, { "reason", "dead" } });
                logger.LogError("Notification {id} to {receiver} via {integration} is dead: {reason}", notification.Id, receiver, integration, dead.Reason);
                break;
        }
    }

    private sealed class PendingOutcome(ClaimedNotification notification, NotifyResult result, TimeSpan took)
    {
        public ClaimedNotification Notification { get; } = notification;

        public NotifyResult Result { get; } = result;

        public TimeSpan Took { get; } = took;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

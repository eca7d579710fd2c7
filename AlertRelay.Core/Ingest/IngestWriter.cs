using System.Diagnostics;
using System.Threading.Channels;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Heartbeats;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.TimeIntervals;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// The group-commit writer: queues webhook messages and applies them through the <see cref="AlertChain"/> in one store
/// transaction per group, each message on its own (so that one bad message fails alone). <see cref="SubmitAsync"/>
/// completes only after the commit, so its caller may answer 2xx; a store failure fails the group: every caller gets
/// <see cref="IngestUnavailableException"/> (503), and the writer lives on.
/// </summary>
public sealed partial class IngestWriter
{
    private readonly Channel<PendingWrite> _queue;
    private readonly IIngestStore _store;
    private readonly IngestState _state;
    private readonly RelayConfigProvider _config;
    private readonly OutboxSignal _outboxSignal;
    private readonly int _digestThreshold;
    private readonly int _maxRequestsPerCommit;
    private readonly long _reopenGraceMs;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestWriter> _logger;
    private readonly IngestMetrics _metrics;
    private readonly HeartbeatWatch _heartbeatWatch;
    private readonly HeartbeatBoard _heartbeatBoard;
    private RelayConfig? _heartbeatsIdleFor; // a configuration without heartbeats whose pass found nothing left to resolve
    private readonly InboxHandoff _inbox;
    private readonly int _inboxRowsPerCommit;
    private readonly int _writerNiceness;
    /// <summary>
    /// Alerts applied from the inbox in one transaction at most (a bigger body alone is one transaction): the dispatcher records
    /// its deliveries between the writer's transactions, so a long one holds up notifications (a crash test's restart found
    /// 10,000 too many); the drain rate measured the same from 160 to 5,120 alerts per transaction.
    /// </summary>
    private const int InboxAlertsPerCommit = 2_560;

    private int _drainQueued; // 1 while a drain of the inbox waits in the queue
    private bool _failing; // the last commit failed

    public IngestWriter(
        IIngestStore store, IngestState state, RelayConfigProvider config, OutboxSignal outboxSignal, TimeProvider time,
        IOptions<IngestOptions> options, IOptions<NotifyOptions> notifyOptions, ILogger<IngestWriter> logger, IngestMetrics? metrics = null,
        HeartbeatWatch? heartbeatWatch = null, HeartbeatBoard? heartbeatBoard = null, InboxHandoff? inbox = null)
    {
        _inbox = inbox ?? new InboxHandoff();
        _inboxRowsPerCommit = options.Value.InboxRowsPerCommit;
        _writerNiceness = options.Value.WriterNiceness;
        _heartbeatWatch = heartbeatWatch ?? new HeartbeatWatch(time);
        _heartbeatBoard = heartbeatBoard ?? new HeartbeatBoard();
        _metrics = metrics ?? new IngestMetrics(AlertRelayMeter.Unexported());
        _store = store;
        _state = state;
        _config = config;
        _outboxSignal = outboxSignal;
        _digestThreshold = notifyOptions.Value.DigestThreshold;
        _maxRequestsPerCommit = options.Value.MaxRequestsPerCommit;
        _reopenGraceMs = options.Value.ReopenGraceSeconds * 1000L;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a message and waits until it is committed; throws <see cref="IngestUnavailableException"/> when it could not be.</summary>
    public Task<IngestResult> SubmitAsync(WebhookMessage message, CancellationToken cancellationToken) => EnqueueAsync(new PendingWrite(message), cancellationToken);

    /// <summary>
    /// One pass of re-open confirmation, through the writer's queue (the writer owns the in-memory state): the candidates whose
    /// grace has ended at the writer's clock are re-opened and notified, or cancelled when a newer occurrence replaced them.
    /// Returns how many were due (<see cref="IngestResult.Alerts"/>) and changed. Called periodically by the host.
    /// </summary>
    public Task<IngestResult> ConfirmDueReopensAsync(CancellationToken cancellationToken) => EnqueueAsync(new PendingWrite(null), cancellationToken);

    /// <summary>
    /// One heartbeat pass, through the writer's queue like the re-open tick: at the writer's clock, a heartbeat whose timeout passed
    /// opens its HeartbeatMissing occurrence, one seen again resolves it (<see cref="AlertChain.CheckHeartbeats"/>). Returns how many
    /// heartbeats changed state (<see cref="IngestResult.Alerts"/>). A pass with nothing to do reads, but takes no write transaction.
    /// Called periodically by the host; <see cref="HeartbeatBoard"/> holds what it found.
    /// </summary>
    public Task<IngestResult> CheckHeartbeatsAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(new PendingWrite(null, PassKind.Heartbeats), cancellationToken);

    /// <summary>
    /// One unmute pass, through the writer's queue like the re-open tick: at the writer's clock, a receiver that a time interval
    /// muted while its occurrence opened is notified once its routes no longer mute it, if the occurrence still fires
    /// (<see cref="AlertChain.NotifyUnmuted"/>). Returns how many rows it read and notified. A pass with nothing to do reads, but
    /// takes no write transaction. Called periodically by the host.
    /// </summary>
    public Task<IngestResult> NotifyUnmutedAsync(CancellationToken cancellationToken) =>
        EnqueueAsync(new PendingWrite(null, PassKind.Unmutes), cancellationToken);

    /// <summary>Whether the writer's last commit failed (the store takes no writes): the inbox refuses appends meanwhile.</summary>
    public bool Failing => Volatile.Read(ref _failing);

    private async Task<IngestResult> EnqueueAsync(PendingWrite pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new IngestUnavailableException("the ingest writer is shutting down");
        }

        // Once queued, the message is committed or failed whatever the caller does: do not abandon it half-way.
        return await pending.Completion.Task;
    }

    /// <summary>
    /// The writer loop, on a thread of its own (at <see cref="IngestOptions.WriterNiceness"/>: when the cores are busy, answering
    /// webhooks comes first and the inbox is applied with what is left): runs until cancelled, then commits what is still queued
    /// and stops.
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                WriterThread.Lower(_writerNiceness, _logger);
                Run(cancellationToken);
                stopped.SetResult();
            }
            catch (Exception ex)
            {
                stopped.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "AlertRelay ingest writer",
        };
        thread.Start();
        return stopped.Task;
    }

    private void Run(CancellationToken cancellationToken)
    {
        var batch = new List<PendingWrite>(_maxRequestsPerCommit);
        try
        {
            WarmUp();
            WakeInbox(); // rows accepted before a stop or a crash and not applied yet
            while (WaitToRead(cancellationToken))
            {
                while (batch.Count < _maxRequestsPerCommit && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                CommitBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
                if (batch.Count == _maxRequestsPerCommit)
                {
                    CommitBatch(batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                CommitBatch(batch);
            }

            _store.Reset();
        }
    }

    /// <summary>
    /// Fills the in-memory state before the first webhook arrives (at start-up, not in its latency). A failure is logged
    /// and left to the first batch, which tries again.
    /// </summary>
    private void WarmUp()
    {
        try
        {
            using var transaction = _store.Begin(write: false);
            _state.Prepare(transaction, _config.Current);
            transaction.Commit();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not load the ingest indexes at start-up; the first webhook will");
            _store.Reset();
            _state.Invalidate();
        }
    }

    private bool WaitToRead(CancellationToken cancellationToken)
    {
        try
        {
            var wait = _queue.Reader.WaitToReadAsync(cancellationToken);
            return wait.IsCompleted ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void CommitBatch(List<PendingWrite> batch)
    {
        var drain = batch.Exists(p => p.Drain);
        if (drain)
        {
            Volatile.Write(ref _drainQueued, 0); // appends from here on queue another drain
        }
        else if (_inbox.BacklogAlerts > 0)
        {
            drain = true; // a tick: a drain that failed or could not be queued is retried
        }

        if (!drain && batch.TrueForAll(p => p.Message is null) && !AnyTickDue(batch, UnixMillis.From(_time.GetUtcNow())))
        {
            // The workers' ticks with nothing due (nearly always): no write transaction (on PostgreSQL, no turn on the
            // ingest clock for the other replicas to wait for and refresh after).
            batch.ForEach(p => p.Completion.TrySetResult(new IngestResult(0, 0, 0, 0)));
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var results = new IngestResult?[batch.Count];
        var plans = new List<AlertPlan>();
        var config = _config.Current; // one configuration for the whole group, even if a reload lands meanwhile
        var drained = new List<(InboxEntry Entry, IngestResult? Result)>();
        var emptied = false;
        try
        {
            var registeredBefore = _inbox.LastRegisteredId;
            using var transaction = _store.Begin(write: true);
            var batchState = new BatchState(transaction, config, UnixMillis.From(_time.GetUtcNow()), []);
            _state.Prepare(transaction, config);
            if (drain)
            {
                emptied = DrainInbox(batchState, plans, drained, registeredBefore); // before the ticks: a resolve accepted earlier counts first
            }

            for (var i = 0; i < batch.Count; i++)
            {
                results[i] = batch[i].Drain ? new IngestResult(0, 0, 0, 0) : ApplyMessage(batchState, batch[i], plans);
            }

            transaction.Commit();
            if (batch.Exists(p => p.Heartbeats))
            {
                _heartbeatBoard.Publish(batchState.HeartbeatReports, batchState.NowMs);
            }
        }
        catch (Exception ex)
        {
            // Whatever failed (disk, lock, a bug), the requests get 503 and the writer lives on: never 2xx, never a hang.
            _metrics.CommitFailures.Add(1);
            _logger.LogError(ex, "Committing {requests} webhook requests failed; they are answered 503 so that Alertmanager retries", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new IngestUnavailableException("the history store could not commit the alerts", ex));
            }

            // The inbox rows stay (applied by a later batch); whoever waits for them is answered 202 now, not after a timeout.
            Volatile.Write(ref _failing, true);
            foreach (var (entry, _) in drained)
            {
                _inbox.NotAppliedYet(entry);
            }

            // The connection and the in-memory state may disagree with the store: start afresh on the next batch.
            _store.Reset();
            _state.Invalidate();
            return;
        }

        Volatile.Write(ref _failing, false);

        Record(batch, results, plans, started, drained.Count);
        var committedMs = UnixMillis.From(_time.GetUtcNow());
        foreach (var (entry, result) in drained)
        {
            _inbox.Applied(entry, result);
            RecordAlerts(result);
            _metrics.InboxApplyDelay.Record(Math.Max(0, committedMs - entry.ReceivedAtMs) / 1000.0);
        }

        if (drain && emptied)
        {
            _inbox.Observed(new InboxBacklog(0, 0, 0)); // the drain took every row there was: nothing is left (but what came after)
        }

        if (drain)
        {
            _metrics.InboxBacklogAlerts.Set(_inbox.BacklogAlerts);
        }

        if (drain && !emptied)
        {
            WakeInbox(); // more waiting
        }
    }

    /// <summary>
    /// Whether a tick of the batch has something to do, read without a write transaction: a re-open candidate due, a heartbeat gone
    /// missing or back (when none is, the heartbeats as read go to the board). True when the store cannot tell (the write path
    /// reports why). No heartbeat configured: nothing read for them.
    /// </summary>
    private bool AnyTickDue(List<PendingWrite> batch, long nowMs)
    {
        var reopens = batch.Exists(p => p.Pass == PassKind.Reopens);
        var unmutes = batch.Exists(p => p.Pass == PassKind.Unmutes);
        var config = _config.Current;
        // No heartbeat configured: read the states once per configuration (a reload may have removed one that is missing), then never.
        var heartbeats = batch.Exists(p => p.Heartbeats) && (config.Heartbeats.Count > 0 || !ReferenceEquals(config, _heartbeatsIdleFor));
        if (!reopens && !heartbeats && !unmutes)
        {
            return false;
        }

        try
        {
            using var read = _store.Begin(write: false); // disposed, not committed: a read changes nothing, and tells the store nothing
            if (reopens && read.DueReopens(nowMs).Count > 0)
            {
                return true;
            }

            // Pending unmutes are few (a table of rows, empty without time intervals): decided here as the write pass would.
            if (unmutes && UnmuteStage.AnyDue(config, read.LoadMutedReceivers(), UnixMillis.ToDateTimeOffset(nowMs)))
            {
                return true;
            }

            if (!heartbeats)
            {
                return false;
            }

            var states = read.LoadHeartbeats();
            var reports = _heartbeatWatch.Judge(config.Heartbeats, states, nowMs);
            if (reports.Any(r => r.Decision.Verdict != HeartbeatVerdict.None) || HeartbeatStage.Unwatched(config.Heartbeats, states).Count > 0)
            {
                return true; // the write pass decides again, and shows what it did once committed
            }

            _heartbeatBoard.Publish(reports, nowMs);
            _heartbeatsIdleFor = config.Heartbeats.Count == 0 ? config : null;
            return false;
        }
        catch (Exception ex) when (_store.IsStoreFailure(ex))
        {
            _store.Reset();
            return true;
        }
    }

    /// <summary>
    /// Applies one message on its own: a message-local failure takes back its writes alone (the others commit), and a
    /// conflict with the store (a row written behind the state's back) plans it once more against a state filled afresh.
    /// </summary>
    private IngestResult? ApplyMessage(BatchState batch, PendingWrite pending, List<AlertPlan> plans)
    {
        var (transaction, message) = (batch.Transaction, pending.Message);
        for (var attempt = 1; ; attempt++)
        {
            var planned = plans.Count;
            transaction.BeginMessage();
            try
            {
                // A chain per message: cheap, and it starts from the state as it is now (filled afresh after a failure).
                var chain = new AlertChain(batch.Config, _state, transaction, batch.NowMs, _digestThreshold, _reopenGraceMs);
                if (pending.Heartbeats)
                {
                    batch.HeartbeatReports.Clear(); // a second attempt reports afresh
                }

                var result = message is not null ? chain.Apply(message, plans)
                    : pending.Heartbeats ? chain.CheckHeartbeats(_heartbeatWatch, plans, batch.HeartbeatReports)
                    : pending.Pass == PassKind.Unmutes ? chain.NotifyUnmuted(plans)
                    : chain.ConfirmDueReopens(plans);
                transaction.EndMessage();
                return result;
            }
            catch (Exception ex) when (!_store.IsStoreFailure(ex))
            {
                transaction.UndoMessage();
                plans.RemoveRange(planned, plans.Count - planned);

                // The in-memory state may hold changes the store took back: fill it again inside this transaction.
                _state.Invalidate();
                _state.Prepare(transaction, batch.Config);
                if (ex is OccurrenceConflictException && attempt == 1)
                {
                    _logger.LogInformation("The store holds alerts of receiver {receiver} that the writer did not know of; planning them again: {reason}",
                        message?.Receiver, ex.Message);
                    continue;
                }

                if (message is null)
                {
                    _logger.LogError(ex, "{pass} failed; the next pass tries again", pending.Pass switch
                    {
                        PassKind.Heartbeats => "The heartbeat pass",
                        PassKind.Unmutes => "The unmute pass",
                        _ => "Confirming due re-opens",
                    });
                    return null;
                }

                _logger.LogError(ex, "Storing a webhook from receiver {receiver} (group {groupKey}) failed; it alone is answered 503", message.Receiver, message.GroupKey);
                return null;
            }
        }
    }

    private void Record(List<PendingWrite> batch, IngestResult?[] results, List<AlertPlan> plans, long started, int inboxRows)
    {
        if (plans.Exists(p => !p.IsEmpty && p.NotificationsOrEmpty.Count > 0))
        {
            _outboxSignal.Wake();
        }

        var requests = batch.Count(p => p.Message is not null) + inboxRows;
        if (requests > 0)
        {
            // A batch of confirmation ticks alone is no webhook commit: it must not skew the group-commit histograms.
            _metrics.CommitRequests.Record(requests);
        }

        foreach (var plan in plans.Where(p => !p.IsEmpty))
        {
            foreach (var e in plan.EventsOrEmpty)
            {
                _metrics.Events.Add(1, new TagList { { "kind", e.Kind } });
            }
        }

        if (requests > 0)
        {
            _metrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Message is null && results[i] is { } confirmed)
            {
                batch[i].Completion.TrySetResult(confirmed); // a confirmation tick: no webhook, not counted as alerts received
            }
            else if (results[i] is { } result)
            {
                RecordAlerts(result);
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException(new IngestUnavailableException("the history store could not store this webhook's alerts"));
            }
        }
    }

    private void RecordAlerts(IngestResult? result)
    {
        if (result is not null)
        {
            _metrics.AlertsReceived.Add(result.Alerts);
            _metrics.AlertsDuplicate.Add(result.Duplicates);
            _metrics.OccurrencesCreated.Add(result.Created);
        }
    }

    /// <summary>What every message of a group shares: the transaction, one configuration and one clock reading.</summary>
    private sealed record BatchState(IIngestTransaction Transaction, RelayConfig Config, long NowMs, List<HeartbeatReport> HeartbeatReports);

    /// <summary>The periodic passes that go through the writer's queue (<see cref="PendingWrite.Message"/> null), and the inbox drain.</summary>
    private enum PassKind
    {
        Reopens,
        Heartbeats,
        Unmutes,

        /// <summary>Apply what the inbox holds (<see cref="WakeInbox"/>).</summary>
        Drain,
    }

    /// <summary>A queued webhook message, or (<see cref="Message"/> null) a periodic pass: re-open confirmation, heartbeats, unmutes, or an inbox drain.</summary>
    private sealed class PendingWrite(WebhookMessage? message, PassKind pass = PassKind.Reopens)
    {
        public WebhookMessage? Message { get; } = message;

        public PassKind Pass { get; } = pass;

        public bool Heartbeats => Pass == PassKind.Heartbeats;

        public bool Drain => Pass == PassKind.Drain;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

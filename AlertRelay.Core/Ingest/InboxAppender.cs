using System.Threading.Channels;
using AlertRelay.Core.Alerts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// The 2xx path of POST /webhook: appends validated bodies to the inbox, many requests per transaction (group commit), and
/// returns once they are committed; the <see cref="IngestWriter"/> applies them through the chain in its own batches. Past
/// <see cref="IngestOptions.MaxBacklogAlerts"/> unapplied alerts it refuses (<see cref="InboxFullException"/>, a 503).
/// </summary>
public sealed class InboxAppender
{
    private readonly Channel<PendingAppend> _queue;
    private readonly IInboxStore _store;
    private readonly IngestWriter _writer;
    private readonly InboxHandoff _handoff;
    private readonly TimeProvider _time;
    private readonly ILogger<InboxAppender> _logger;
    private readonly IngestMetrics _metrics;
    private readonly int _maxRequestsPerCommit;
    private readonly long _maxBacklogAlerts;
    private const long NeverRead = long.MinValue;
    private long _backlogReadAtMs = NeverRead;

    public InboxAppender(
        IInboxStore store, IngestWriter writer, InboxHandoff handoff, TimeProvider time, IOptions<IngestOptions> options,
        ILogger<InboxAppender> logger, IngestMetrics? metrics = null)
    {
        _store = store;
        _writer = writer;
        _handoff = handoff;
        _time = time;
        _logger = logger;
        _metrics = metrics ?? new IngestMetrics(AlertRelayMeter.Unexported());
        _maxRequestsPerCommit = options.Value.MaxRequestsPerCommit;
        _maxBacklogAlerts = options.Value.MaxBacklogAlerts;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Unapplied alerts in the inbox, as last known.</summary>
    public long BacklogAlerts => _handoff.BacklogAlerts;

    /// <summary>Whether webhooks are refused (503) for now: the backlog has reached <see cref="IngestOptions.MaxBacklogAlerts"/>.</summary>
    public bool IsFull => _handoff.BacklogAlerts >= _maxBacklogAlerts;

    /// <summary>
    /// Appends a validated body; completes once it is committed. Throws <see cref="InboxFullException"/> when the backlog is
    /// too large and <see cref="IngestUnavailableException"/> when the store cannot commit: nothing is stored then.
    /// </summary>
    public async Task<InboxReceipt> AcceptAsync(ReadOnlyMemory<byte> body, WebhookMessage message, CancellationToken cancellationToken)
    {
        var backlog = _handoff.BacklogAlerts;
        if (backlog + message.Alerts.Count > _maxBacklogAlerts)
        {
            // Read the store again (at most once a second) before refusing: on PostgreSQL other replicas' writers may have
            // applied what this replica counts, and a replica that refuses appends nothing that would refresh it otherwise.
            RefreshBacklog(UnixMillis.From(_time.GetUtcNow()));
            backlog = _handoff.BacklogAlerts;
            if (backlog + message.Alerts.Count > _maxBacklogAlerts)
            {
                throw new InboxFullException(backlog, _maxBacklogAlerts, TimeSpan.FromSeconds(1));
            }
        }

        // While the history takes no writes, what is in the inbox cannot be applied: refuse (503, Alertmanager keeps and retries
        // them) rather than pile up 2xx answers that no notification follows. With nothing waiting, the body is stored and its
        // apply tries the store again.
        if (_writer.Failing && _handoff.BacklogAlerts > 0)
        {
            throw new IngestUnavailableException("the history store takes no writes: the inbox cannot be applied");
        }

        var pending = new PendingAppend(new InboxBody(body, message.Alerts.Count));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new IngestUnavailableException("the inbox is shutting down");
        }

        return await pending.Completion.Task; // once queued, committed or failed whatever the caller does
    }

    /// <summary>The append loop: runs until cancelled, then appends what is still queued and stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PendingAppend>(_maxRequestsPerCommit);
        RefreshBacklog(UnixMillis.From(_time.GetUtcNow())); // what a stop or a crash left to apply
        try
        {
            while (await WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < _maxRequestsPerCommit && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                Append(batch);
                batch.Clear();
            }
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                Append(batch);
            }

            _store.Reset();
        }
    }

    private void Append(List<PendingAppend> batch)
    {
        var nowMs = UnixMillis.From(_time.GetUtcNow());
        IReadOnlyList<long> ids;
        try
        {
            RefreshBacklog(nowMs);
            ids = _store.Append(batch.ConvertAll(p => p.Body), nowMs);
        }
        catch (Exception ex)
        {
            _metrics.CommitFailures.Add(1);
            _logger.LogError(ex, "Appending {requests} webhook requests to the inbox failed; they are answered 503 so that Alertmanager retries", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new IngestUnavailableException("the history store could not store the webhook", ex));
            }

            _store.Reset();
            return;
        }

        var alone = batch.Count == 1 && _handoff.NothingWaitingHere;
        for (var i = 0; i < batch.Count; i++)
        {
            var applied = _handoff.Appended(ids[i], batch[i].Body.Alerts);
            batch[i].Completion.TrySetResult(new InboxReceipt(ids[i], batch[i].Body.Alerts, applied, alone));
        }

        _metrics.InboxBacklogAlerts.Set(_handoff.BacklogAlerts);
        _writer.WakeInbox();
    }

    /// <summary>
    /// Reads the store's backlog at most once a second (it also counts what other replicas appended and applied), on the append
    /// loop or on a request refused for a full inbox. A failed reading keeps the last count.
    /// </summary>
    private void RefreshBacklog(long nowMs)
    {
        var readAt = Interlocked.Read(ref _backlogReadAtMs);
        if ((readAt != NeverRead && nowMs - readAt < 1000) || Interlocked.CompareExchange(ref _backlogReadAtMs, nowMs, readAt) != readAt)
        {
            return;
        }

        try
        {
            _handoff.Observed(_store.ReadBacklog());
            _metrics.InboxBacklogAlerts.Set(_handoff.BacklogAlerts);
        }
        catch (Exception ex) when (_store.IsStoreFailure(ex))
        {
            _logger.LogWarning("Could not read the inbox backlog: {message}", ex.Message);
        }
    }

    private async Task<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _queue.Reader.WaitToReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private sealed class PendingAppend(InboxBody body)
    {
        public InboxBody Body { get; } = body;

        public TaskCompletionSource<InboxReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

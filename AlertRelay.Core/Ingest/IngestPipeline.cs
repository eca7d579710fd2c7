using System.Diagnostics;
using System.Threading.Channels;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Ingest;

/// <summary>
/// Stores webhook messages durably: deduplicates every alert against the history and writes the changes.
/// One writer applies queued messages in a single transaction per group (group commit), each message
/// in its own savepoint so that one bad message fails alone. <see cref="SubmitAsync"/> completes only
/// after the commit, so its caller may answer 2xx.
/// </summary>
public sealed class IngestPipeline
{
    private readonly Channel<PendingWrite> _queue;
    private readonly HistoryDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly int _maxRequestsPerCommit;

    public IngestPipeline(HistoryDatabase database, TimeProvider time, IOptions<IngestOptions> options, ILogger<IngestPipeline> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
        _maxRequestsPerCommit = options.Value.MaxRequestsPerCommit;
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Queues a message and waits until it is committed; throws <see cref="IngestUnavailableException"/> when it could not be.</summary>
    public async Task<IngestResult> SubmitAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        var pending = new PendingWrite(message);
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

    /// <summary>The writer loop: runs until cancelled, then commits what is still queued and stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PendingWrite>(_maxRequestsPerCommit);
        SqliteConnection? connection = null;
        try
        {
            while (await WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < _maxRequestsPerCommit && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                connection = CommitBatch(connection, batch);
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
                    connection = CommitBatch(connection, batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                connection = CommitBatch(connection, batch);
            }

            connection?.Dispose();
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

    private SqliteConnection? CommitBatch(SqliteConnection? connection, List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var nowMs = UnixMillis.From(_time.GetUtcNow());
        var results = new IngestResult?[batch.Count];
        try
        {
            connection ??= _database.Open();
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                var writer = new AlertWriter(connection, transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = ApplyInSavepoint(transaction, writer, batch[i].Message, nowMs, i);
                }

                transaction.Commit();
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or IOException)
        {
            IngestMetrics.CommitFailures.Inc();
            _logger.LogError(ex, "Committing {requests} webhook requests failed; they are answered 503 so that Alertmanager retries", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new IngestUnavailableException("the history store could not commit the alerts", ex));
            }

            // The connection may be in an unknown state: start afresh on the next batch.
            connection?.Dispose();
            return null;
        }

        IngestMetrics.CommitRequests.Observe(batch.Count);
        IngestMetrics.CommitDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i] is { } result)
            {
                IngestMetrics.AlertsReceived.Inc(result.Alerts);
                IngestMetrics.AlertsDuplicate.Inc(result.Duplicates);
                IngestMetrics.OccurrencesCreated.Inc(result.Created);
                batch[i].Completion.TrySetResult(result);
            }
            else
            {
                batch[i].Completion.TrySetException(new IngestUnavailableException("the history store could not store this webhook's alerts"));
            }
        }

        return connection;
    }

    private IngestResult? ApplyInSavepoint(SqliteTransaction transaction, AlertWriter writer, WebhookMessage message, long nowMs, int index)
    {
        var savepoint = $"m{index}";
        transaction.Save(savepoint);
        try
        {
            var result = Apply(writer, message, nowMs);
            transaction.Release(savepoint);
            return result;
        }
        catch (SqliteException ex)
        {
            transaction.Rollback(savepoint);
            transaction.Release(savepoint);
            _logger.LogError(ex, "Storing a webhook from receiver {receiver} (group {groupKey}) failed; it alone is answered 503", message.Receiver, message.GroupKey);
            return null;
        }
    }

    /// <summary>Applies one message: dedup every alert against the store and write what changed.</summary>
    internal static IngestResult Apply(AlertWriter writer, WebhookMessage message, long nowMs)
    {
        var context = new AlertContext(message.Receiver, message.GroupKey, message.ExternalUrl);
        int created = 0, changed = 0, duplicates = 0;
        foreach (var alert in message.Alerts)
        {
            var startsAtMs = UnixMillis.From(alert.StartsAt);
            var stored = writer.Lookup(alert.Fingerprint, startsAtMs);
            var change = DedupStage.Decide(stored, alert);
            if (change == AlertChange.None)
            {
                duplicates++;
                continue;
            }

            long? endsAtMs = alert.Status == AlertStatus.Resolved ? UnixMillis.From(alert.EndsAt ?? UnixMillis.ToDateTimeOffset(nowMs)) : null;
            if (stored.Existing is not { } existing)
            {
                created++;
                var id = writer.InsertOccurrence(alert, context, endsAtMs, nowMs);
                if (change.HasFlag(AlertChange.Refired))
                {
                    foreach (var supersededId in writer.ResolveSuperseded(alert.Fingerprint, startsAtMs, nowMs))
                    {
                        AddEvent(writer, supersededId, EventKinds.Resolved, nowMs,
                            new { endsAt = Rfc3339.Format(alert.StartsAt), reason = "superseded", supersededBy = id });
                    }

                    AddEvent(writer, id, EventKinds.Refired, nowMs,
                        new { context.Receiver, context.GroupKey, previousStartsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(stored.LatestStartsAtMs!.Value)) });
                }
                else
                {
                    AddEvent(writer, id, EventKinds.Received, nowMs, new { context.Receiver, context.GroupKey });
                }

                if (change.HasFlag(AlertChange.Resolved))
                {
                    AddEvent(writer, id, EventKinds.Resolved, nowMs, new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(endsAtMs!.Value)) });
                }

                continue;
            }

            changed++;
            var status = existing.Status;
            var newEndsAtMs = existing.EndsAtMs;
            var annotations = existing.AnnotationsJson;
            if (change.HasFlag(AlertChange.AnnotationsChanged))
            {
                annotations = alert.Annotations.ToJson();
                AddEvent(writer, existing.Id, EventKinds.AnnotationsChanged, nowMs,
                    new { previous = LabelSet.FromJson(existing.AnnotationsJson), current = alert.Annotations });
            }

            if (change.HasFlag(AlertChange.Reopened))
            {
                status = AlertStatus.Firing;
                newEndsAtMs = null;
                AddEvent(writer, existing.Id, EventKinds.Reopened, nowMs,
                    new { previousEndsAt = existing.EndsAtMs is { } ended ? Rfc3339.Format(UnixMillis.ToDateTimeOffset(ended)) : null });
            }

            if (change.HasFlag(AlertChange.Resolved))
            {
                status = AlertStatus.Resolved;
                newEndsAtMs = endsAtMs;
                AddEvent(writer, existing.Id, EventKinds.Resolved, nowMs, new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(endsAtMs!.Value)) });
            }

            writer.UpdateOccurrence(existing.Id, status, newEndsAtMs, annotations, nowMs);
        }

        return new IngestResult(message.Alerts.Count, created, changed, duplicates);
    }

    private static void AddEvent(AlertWriter writer, long occurrenceId, string kind, long nowMs, object detail)
    {
        writer.AddEvent(occurrenceId, kind, nowMs, detail);
        IngestMetrics.Events.WithLabels(kind).Inc();
    }

    private sealed class PendingWrite(WebhookMessage message)
    {
        public WebhookMessage Message { get; } = message;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

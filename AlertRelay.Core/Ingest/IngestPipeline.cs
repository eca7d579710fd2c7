using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Inhibition;
using AlertRelay.Core.Notify;
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
    private readonly RelayConfigProvider _config;
    private readonly OutboxSignal _outboxSignal;
    private readonly int _digestThreshold;
    private readonly TimeProvider _time;
    private readonly ILogger<IngestPipeline> _logger;
    private readonly int _maxRequestsPerCommit;
    private readonly IdentityIndex _identities;
    private readonly IngestOptions _options;

    public IngestPipeline(
        HistoryDatabase database, RelayConfigProvider config, OutboxSignal outboxSignal, TimeProvider time, IOptions<IngestOptions> options,
        IOptions<NotifyOptions> notifyOptions, ILogger<IngestPipeline> logger, IdentityIndex? identities = null)
    {
        _identities = identities ?? new IdentityIndex();
        _database = database;
        _config = config;
        _outboxSignal = outboxSignal;
        _digestThreshold = notifyOptions.Value.DigestThreshold;
        _time = time;
        _logger = logger;
        _maxRequestsPerCommit = options.Value.MaxRequestsPerCommit;
        _options = options.Value;
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
        WriterSession? session = null;
        using var stopCheckpoints = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var checkpoints = _options.CheckpointIntervalMilliseconds > 0 ? Task.Run(() => CheckpointLoopAsync(stopCheckpoints.Token)) : Task.CompletedTask;
        try
        {
            session = await Task.Run(WarmUp, CancellationToken.None);
            while (await WaitToReadAsync(cancellationToken))
            {
                while (batch.Count < _maxRequestsPerCommit && _queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }

                session = CommitBatch(session, batch);
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
                    session = CommitBatch(session, batch);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                session = CommitBatch(session, batch);
            }

            session?.Dispose();
            await stopCheckpoints.CancelAsync();
            await checkpoints;
        }
    }

    /// <summary>
    /// Copies committed pages from the write-ahead log into the database file on its own connection and thread, so
    /// that the single writer spends its time on new alerts (a PASSIVE checkpoint neither waits for nor blocks it).
    /// </summary>
    private async Task CheckpointLoopAsync(CancellationToken cancellationToken)
    {
        SqliteConnection? connection = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(_options.CheckpointIntervalMilliseconds), _time, cancellationToken);
                try
                {
                    connection ??= _database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    command.ExecuteNonQuery();
                }
                catch (SqliteException ex)
                {
                    // Harmless: the writer's own checkpoint backstop keeps the log bounded. Retry on a fresh connection.
                    _logger.LogDebug(ex, "Background WAL checkpoint failed");
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>
    /// Fills the in-memory indexes before the first webhook arrives (at start-up, not in its latency). A failure is
    /// logged and left to the first batch, which tries again.
    /// </summary>
    private WriterSession? WarmUp()
    {
        WriterSession? session = null;
        try
        {
            session = new WriterSession(OpenWriterConnection(), _config.Current);
            using var transaction = session.Connection.BeginTransaction(deferred: true);
            Prepare(session, transaction);
            transaction.Commit();
            return session;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not load the ingest indexes at start-up; the first webhook will");
            session?.Dispose();
            _identities.Invalidate();
            return null;
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

    private WriterSession? CommitBatch(WriterSession? session, List<PendingWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var nowMs = UnixMillis.From(_time.GetUtcNow());
        var results = new IngestResult?[batch.Count];
        var eventKinds = new List<string>();
        var queued = 0;
        var config = _config.Current; // one configuration for the whole group, even if a reload lands meanwhile
        try
        {
            if (session is not null && !ReferenceEquals(session.Config, config))
            {
                // A reload may change the inhibition rules, and with them which alerts the index must hold.
                session.Dispose();
                session = null;
            }

            session ??= new WriterSession(OpenWriterConnection(), config);
            using (var transaction = session.Connection.BeginTransaction(deferred: false))
            {
                var writer = session.Writer;
                Prepare(session, transaction);
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = ApplyInSavepoint(transaction, writer, session.Firing, config, batch[i].Message, nowMs, i, eventKinds, ref queued);
                    if (results[i] is null)
                    {
                        // The in-memory indexes may hold changes the savepoint rolled back. The identity index decides what
                        // the next messages store, so it is rebuilt now; the firing index is rebuilt with the next session.
                        session.Stale = true;
                        _identities.Invalidate();
                        LoadIdentities(writer);
                    }
                }

                transaction.Commit();
            }
        }
        catch (Exception ex)
        {
            // Whatever failed (disk, lock, a bug), the requests get 503 and the writer lives on: never 2xx, never a hang.
            IngestMetrics.CommitFailures.Inc();
            _logger.LogError(ex, "Committing {requests} webhook requests failed; they are answered 503 so that Alertmanager retries", batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(new IngestUnavailableException("the history store could not commit the alerts", ex));
            }

            // The connection may be in an unknown state: start afresh on the next batch.
            session?.Dispose();
            _identities.Invalidate();
            return null;
        }

        if (queued > 0)
        {
            _outboxSignal.Wake();
        }

        if (session.Stale)
        {
            session.Dispose();
            session = null;
        }

        IngestMetrics.CommitRequests.Observe(batch.Count);
        foreach (var kind in eventKinds)
        {
            IngestMetrics.Events.WithLabels(kind).Inc();
        }

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

        return session;
    }

    private IngestResult? ApplyInSavepoint(
        SqliteTransaction transaction, AlertWriter writer, FiringIndex firing, RelayConfig config, WebhookMessage message, long nowMs, int index,
        List<string> eventKinds, ref int queued)
    {
        var savepoint = $"m{index}";
        var messageEvents = new List<string>();
        var lifecycle = new AlertLifecycle(writer, firing, config, nowMs, messageEvents, _digestThreshold);
        transaction.Save(savepoint);
        try
        {
            var result = Apply(writer, _identities, lifecycle, message, nowMs, messageEvents);
            lifecycle.Flush();
            transaction.Release(savepoint);
            queued += lifecycle.Queued;
            eventKinds.AddRange(messageEvents);
            return result;
        }
        catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: SQLITE_FULL or SQLITE_IOERR or SQLITE_BUSY or SQLITE_READONLY or SQLITE_CANTOPEN or SQLITE_CORRUPT or SQLITE_NOTADB })
        {
            transaction.Rollback(savepoint);
            transaction.Release(savepoint);
            _logger.LogError(ex, "Storing a webhook from receiver {receiver} (group {groupKey}) failed; it alone is answered 503", message.Receiver, message.GroupKey);
            return null;
        }
    }

    /// <summary>Applies one message: dedup every alert against the store and write what changed.</summary>
    internal static IngestResult Apply(
        AlertWriter writer, IdentityIndex identities, AlertLifecycle lifecycle, WebhookMessage message, long nowMs, List<string> eventKinds)
    {
        var context = new AlertContext(message.Receiver, message.GroupKey, message.ExternalUrl);
        var receivedDetail = JsonSerializer.Serialize(new { context.Receiver, context.GroupKey }, HistoryJson.Options);
        int created = 0, changed = 0, duplicates = 0;
        foreach (var alert in message.Alerts)
        {
            switch (ApplyAlert(writer, identities, lifecycle, context, receivedDetail, alert, nowMs, eventKinds, retried: false))
            {
                case AlertOutcome.Created: created++; break;
                case AlertOutcome.Changed: changed++; break;
                default: duplicates++; break;
            }
        }

        return new IngestResult(message.Alerts.Count, created, changed, duplicates);
    }

    private enum AlertOutcome
    {
        Duplicate,
        Created,
        Changed,
    }

    private static AlertOutcome ApplyAlert(
        AlertWriter writer, IdentityIndex identities, AlertLifecycle lifecycle, AlertContext context, string receivedDetail, Alert alert, long nowMs,
        List<string> eventKinds, bool retried)
    {
        var fingerprint = alert.Fingerprint;
        var startsAtMs = UnixMillis.From(alert.StartsAt);
        var stored = Lookup(writer, identities, fingerprint, startsAtMs);
        var change = DedupStage.Decide(stored, alert);
        if (change == AlertChange.None)
        {
            return AlertOutcome.Duplicate;
        }

        long? endsAtMs = alert.Status == AlertStatus.Resolved ? UnixMillis.From(alert.EndsAt ?? UnixMillis.ToDateTimeOffset(nowMs)) : null;
        var annotationsHash = StoredOccurrence.HashAnnotations(alert.Annotations);
        if (stored.Existing is not { } existing)
        {
            if (change.HasFlag(AlertChange.Superseded))
            {
                // Stored ended when the newest occurrence started: history only, never notified nor escalated.
                alert = alert with { Status = AlertStatus.Resolved };
                endsAtMs = stored.LatestStartsAtMs!.Value;
            }

            var receivers = lifecycle.Route(alert);
            if (writer.InsertOccurrence(alert, context, endsAtMs, receivers.Json, nowMs) is not { } id)
            {
                // The index did not know this occurrence (written behind the writer's back): learn it from the store, decide again.
                if (retried || writer.Find(fingerprint, startsAtMs) is not { } found)
                {
                    throw new InvalidOperationException($"Occurrence {fingerprint}@{startsAtMs} conflicts on insert but cannot be found");
                }

                if (stored.LatestStartsAtMs is not { } known || known <= startsAtMs)
                {
                    identities.SetLatest(fingerprint, LatestOccurrence.Of(found.Id, startsAtMs, found));
                }

                return ApplyAlert(writer, identities, lifecycle, context, receivedDetail, alert, nowMs, eventKinds, retried: true);
            }

            var isNewest = stored.LatestStartsAtMs is not { } latestStartsAt || latestStartsAt < startsAtMs;
            if (change.HasFlag(AlertChange.Refired))
            {
                // A fingerprint has one active alert at a time: a new startsAt means the earlier ones ended (their resolve never came).
                identities.TryGetLatest(fingerprint, out var previous);
                foreach (var supersededId in identities.TakeOlderFiring(fingerprint).Prepend(previous.Id))
                {
                    if (writer.ResolveSuperseded(supersededId, startsAtMs, nowMs))
                    {
                        AddEvent(writer, eventKinds, supersededId, EventKinds.Resolved, nowMs,
                            new { endsAt = Rfc3339.Format(alert.StartsAt), reason = "superseded", supersededBy = id });
                        lifecycle.Resolved(supersededId);
                    }
                }

                AddEvent(writer, eventKinds, id, EventKinds.Refired, nowMs,
                    new { context.Receiver, context.GroupKey, previousStartsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(stored.LatestStartsAtMs!.Value)) });
            }
            else
            {
                writer.AddEventJson(id, EventKinds.Received, nowMs, receivedDetail);
                eventKinds.Add(EventKinds.Received);
            }

            if (isNewest)
            {
                identities.SetLatest(fingerprint, LatestOccurrence.Of(id, startsAtMs, alert.Status, endsAtMs, annotationsHash));
            }

            lifecycle.Created(id, alert, receivers);
            if (change.HasFlag(AlertChange.Superseded))
            {
                identities.TryGetLatest(fingerprint, out var newest);
                AddEvent(writer, eventKinds, id, EventKinds.Resolved, nowMs,
                    new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(endsAtMs!.Value)), reason = "superseded", supersededBy = newest.Id });
            }
            else if (change.HasFlag(AlertChange.Resolved))
            {
                AddEvent(writer, eventKinds, id, EventKinds.Resolved, nowMs, new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(endsAtMs!.Value)) });
            }

            return AlertOutcome.Created;
        }

        var status = existing.Status;
        var newEndsAtMs = existing.EndsAtMs;
        string? annotations = null; // unchanged
        var newAnnotationsHash = existing.AnnotationsHash;
        if (change.HasFlag(AlertChange.AnnotationsChanged))
        {
            annotations = alert.Annotations.ToJson();
            newAnnotationsHash = annotationsHash;
            AddEvent(writer, eventKinds, existing.Id, EventKinds.AnnotationsChanged, nowMs,
                new { previous = writer.LoadAnnotations(existing.Id), current = alert.Annotations });
        }

        if (change.HasFlag(AlertChange.Reopened))
        {
            status = AlertStatus.Firing;
            newEndsAtMs = null;
            AddEvent(writer, eventKinds, existing.Id, EventKinds.Reopened, nowMs,
                new { previousEndsAt = existing.EndsAtMs is { } ended ? Rfc3339.Format(UnixMillis.ToDateTimeOffset(ended)) : null });
        }

        if (change.HasFlag(AlertChange.Resolved))
        {
            status = AlertStatus.Resolved;
            newEndsAtMs = endsAtMs;
            AddEvent(writer, eventKinds, existing.Id, EventKinds.Resolved, nowMs, new { endsAt = Rfc3339.Format(UnixMillis.ToDateTimeOffset(endsAtMs!.Value)) });
        }

        if (!writer.UpdateOccurrence(existing.Id, status, newEndsAtMs, annotations, nowMs))
        {
            throw new InvalidOperationException($"Occurrence {existing.Id} ({fingerprint}@{startsAtMs}) disappeared while it was being updated");
        }

        if (stored.LatestStartsAtMs == startsAtMs)
        {
            identities.SetLatest(fingerprint, LatestOccurrence.Of(existing.Id, startsAtMs, status, newEndsAtMs, newAnnotationsHash));
        }
        else if (status == AlertStatus.Resolved)
        {
            identities.RemoveOlderFiring(fingerprint, existing.Id);
        }

        if (change.HasFlag(AlertChange.Reopened))
        {
            lifecycle.Opened(existing.Id, alert, isNew: false);
        }
        else if (change.HasFlag(AlertChange.Resolved) && existing.Status == AlertStatus.Firing)
        {
            lifecycle.Resolved(existing.Id);
        }

        return AlertOutcome.Changed;
    }

    /// <summary>
    /// What is stored for an alert's identity: from memory when it is the newest occurrence of its fingerprint (or
    /// newer than any), from the store for a late copy of an older one.
    /// </summary>
    private static OccurrenceSnapshot Lookup(AlertWriter writer, IdentityIndex identities, Fingerprint fingerprint, long startsAtMs)
    {
        if (!identities.TryGetLatest(fingerprint, out var latest))
        {
            return OccurrenceSnapshot.Unknown;
        }

        if (latest.StartsAtMs < startsAtMs)
        {
            return new OccurrenceSnapshot(null, latest.StartsAtMs);
        }

        if (latest.StartsAtMs > startsAtMs)
        {
            return new OccurrenceSnapshot(writer.Find(fingerprint, startsAtMs), latest.StartsAtMs);
        }

        if (!latest.IsLoaded)
        {
            if (writer.Load(latest.Id) is not { } details)
            {
                identities.Remove(fingerprint);
                return OccurrenceSnapshot.Unknown;
            }

            latest = LatestOccurrence.Of(latest.Id, startsAtMs, details);
            identities.SetLatest(fingerprint, latest);
        }

        return new OccurrenceSnapshot(latest.ToStored(), latest.StartsAtMs);
    }

    private SqliteConnection OpenWriterConnection()
    {
        var connection = _database.Open();
        if (_options.CheckpointIntervalMilliseconds > 0)
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_autocheckpoint = {_options.CheckpointBackstopPages}";
            command.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>
    /// Enlists the writer in <paramref name="transaction"/> and brings the in-memory indexes up to date with the store:
    /// deletions retention committed before this transaction could begin, and a fill when an index is empty.
    /// </summary>
    private void Prepare(WriterSession session, SqliteTransaction transaction)
    {
        session.Writer.Enlist(transaction);
        session.LoadFiringOnce();
        _identities.ApplyForgotten();
        LoadIdentities(session.Writer);
    }

    /// <summary>Fills the identity index from the store when it is empty (start-up, or after a failed write).</summary>
    private void LoadIdentities(AlertWriter writer)
    {
        if (_identities.IsLoaded)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        writer.LoadIdentities(_identities);
        _logger.LogInformation("Loaded the newest occurrence of {fingerprints} fingerprints in {ms:F0} ms",
            _identities.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private static void AddEvent(AlertWriter writer, List<string> eventKinds, long occurrenceId, string kind, long nowMs, object detail)
    {
        writer.AddEvent(occurrenceId, kind, nowMs, detail);
        eventKinds.Add(kind);
    }

    // Errors that concern the whole database rather than one message: they fail the whole group commit.
    private const int SQLITE_BUSY = 5;
    private const int SQLITE_READONLY = 8;
    private const int SQLITE_IOERR = 10;
    private const int SQLITE_CORRUPT = 11;
    private const int SQLITE_FULL = 13;
    private const int SQLITE_CANTOPEN = 14;
    private const int SQLITE_NOTADB = 26;

    /// <summary>The writer's connection and its prepared statements, kept across batches.</summary>
    private sealed class WriterSession(SqliteConnection connection, RelayConfig config) : IDisposable
    {
        /// <summary>The configuration the firing index was built for.</summary>
        public RelayConfig Config { get; } = config;

        private bool _firingLoaded;

        public SqliteConnection Connection { get; } = connection;

        public AlertWriter Writer { get; } = new(connection);

        public FiringIndex Firing { get; } = new();

        /// <summary>Set when the in-memory state may disagree with the database; the session is then rebuilt.</summary>
        public bool Stale { get; set; }

        /// <summary>Fills the firing index from the store, inside the first transaction of the session.</summary>
        public void LoadFiringOnce()
        {
            if (_firingLoaded)
            {
                return;
            }

            if (Config.InhibitRules.Count == 0)
            {
                // No rule can use them: do not hold the labels of every firing alert in memory.
                _firingLoaded = true;
                return;
            }

            foreach (var (id, fingerprint, labels, inhibitedBy) in Writer.LoadFiring())
            {
                if (InhibitionStage.IsInvolved(labels, Config.InhibitRules))
                {
                    Firing.Add(id, fingerprint, labels, inhibitedBy);
                }
            }

            _firingLoaded = true;
        }

        public void Dispose()
        {
            Writer.Dispose();
            Connection.Dispose();
        }
    }

    private sealed class PendingWrite(WebhookMessage message)
    {
        public WebhookMessage Message { get; } = message;

        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

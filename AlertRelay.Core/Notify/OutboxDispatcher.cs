using System.Diagnostics;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.History;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AlertRelay.Core.Notify;

/// <summary>
/// Delivers queued notifications, at least once: claims due ones with a lease (a crash re-delivers when the
/// lease ends), sends each through its integration, and records the outcome — delivered, retry later with
/// exponential backoff and jitter (never sooner than a Retry-After), or dead after a permanent failure or
/// the last attempt. A resolve waits until the firing notification it follows is delivered. Each target (one
/// <c>slack_configs</c> or <c>email_configs</c> entry of a receiver) sends at most <see cref="PerTargetConcurrency"/>
/// at a time, independently of the others, so a slow or unreachable integration holds up nobody but itself.
/// </summary>
public sealed class OutboxDispatcher
{
    /// <summary>Sends in flight at once for one target; the rest of its claimed notifications wait their turn.</summary>
    public const int PerTargetConcurrency = 4;

    /// <summary>Most delivery outcomes recorded in one transaction.</summary>
    private const int MaxOutcomesPerCommit = 64;

    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingOutcome> _outcomes = new();
    private readonly SemaphoreSlim _recorder = new(1, 1);

    private readonly HistoryDatabase _database;
    private readonly RelayConfigProvider _config;
    private readonly Dictionary<string, INotifier> _notifiers;
    private readonly OutboxSignal _signal;
    private readonly TimeProvider _time;
    private readonly NotifyOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;
    private readonly NotifyMetrics _metrics;

    public OutboxDispatcher(
        HistoryDatabase database, RelayConfigProvider config, IEnumerable<INotifier> notifiers, OutboxSignal signal, TimeProvider time,
        IOptions<NotifyOptions> options, ILogger<OutboxDispatcher> logger, NotifyMetrics? metrics = null)
    {
        _metrics = metrics ?? new NotifyMetrics(AlertRelayMeter.Unexported());
        _database = database;
        _config = config;
        _notifiers = notifiers.ToDictionary(n => n.Integration, StringComparer.Ordinal);
        _signal = signal;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>
    /// Runs until cancelled, delivering continuously. Each target has its own lane: up to <see cref="NotifyOptions.BatchSize"/>
    /// claimed notifications (claimed again in one transaction once fewer than half are left), of which it sends
    /// <see cref="PerTargetConcurrency"/> at a time, the next one as soon as a send ends. There is no pass to wait for: a target
    /// whose sends hang until their timeout holds up its own lane, and the other targets carry on.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lanes = new Dictionary<string, Lane>(StringComparer.Ordinal);
        var sending = new Dictionary<Task, (Lane Lane, ClaimedRow Row)>();
        Task<bool>? wake = null;
        var gaugesDue = DateTimeOffset.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var claimed = 0;
                var config = _config.Current;
                try
                {
                    var held = lanes.Values.SelectMany(l => l.Held).ToList();
                    foreach (var row in await ClaimAsync(held, refillBelow: (_options.BatchSize + 1) / 2, perTarget: _options.BatchSize, limit: int.MaxValue, cancellationToken))
                    {
                        if (!lanes.TryGetValue(row.TargetKey, out var lane))
                        {
                            lanes[row.TargetKey] = lane = new Lane();
                        }

                        lane.Waiting.Enqueue(row);
                        claimed++;
                    }

                    if (_time.GetUtcNow() >= gaugesDue)
                    {
                        await UpdateGaugesAsync(cancellationToken);
                        gaugesDue = _time.GetUtcNow().AddMilliseconds(_options.PollIntervalMilliseconds);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // State is in the database (a full disk, a lock held too long...); the next pass carries on.
                    _logger.LogError(ex, "Outbox pass failed");
                    claimed = 0;
                }

                foreach (var lane in lanes.Values)
                {
                    while (lane.Sending.Count < PerTargetConcurrency && lane.Waiting.TryDequeue(out var row))
                    {
                        lane.Sending.Add(row);
                        sending.Add(DeliverAndLogAsync(row, config, cancellationToken), (lane, row));
                    }
                }

                if (claimed > 0)
                {
                    continue; // the lanes now full are left out of the next claim: other targets may have more due
                }

                // Sleep until a send ends (its slot is free), a commit queues notifications, or the poll interval passes.
                wake ??= _signal.WaitAsync(TimeSpan.FromMilliseconds(_options.PollIntervalMilliseconds), _time, cancellationToken);
                var first = await Task.WhenAny(sending.Keys.Append(wake));
                if (first == wake)
                {
                    wake = null;
                    await first; // throws when cancelled
                }

                foreach (var done in sending.Keys.Where(t => t.IsCompleted).ToList())
                {
                    var (lane, row) = sending[done];
                    sending.Remove(done);
                    lane.Sending.Remove(row);
                    if (lane.Sending.Count == 0 && lane.Waiting.Count == 0)
                    {
                        lanes.Remove(row.TargetKey);
                    }
                }
            }
        }
        finally
        {
            // Sends see the cancellation and end; what was not recorded is claimed again when its lease ends.
            await Task.WhenAll(sending.Keys);
        }
    }

    /// <summary>
    /// One pass: claim the due notifications (up to <see cref="NotifyOptions.BatchSize"/>), deliver them, record the outcomes,
    /// and return how many were attempted. For tests and tools; the service runs <see cref="RunAsync"/>.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync([], refillBelow: int.MaxValue, perTarget: int.MaxValue, limit: _options.BatchSize, cancellationToken);
        var config = _config.Current;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = PerTargetConcurrency, CancellationToken = cancellationToken },
            async (row, token) => await DeliverAsync(row, config, token));
        await UpdateGaugesAsync(cancellationToken);
        return claimed.Count;
    }

    /// <summary>
    /// Claims (leases) up to <paramref name="limit"/> due notifications, oldest due first. Leaves out those this process already
    /// holds, and the targets holding <paramref name="refillBelow"/> or more; gives no target more than <paramref name="perTarget"/>.
    /// </summary>
    private async Task<List<ClaimedRow>> ClaimAsync(
        IReadOnlyCollection<ClaimedRow> held, int refillBelow, int perTarget, int limit, CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(_time.GetUtcNow());
        var busy = held.GroupBy(r => r.TargetKey).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var parameters = new
        {
            Now = nowMs,
            Batch = _options.BatchSize,
            Held = JsonSerializer.Serialize(held.Select(r => r.Id)),
            FullTargets = JsonSerializer.Serialize(busy.Where(b => b.Value >= refillBelow).Select(b => b.Key)),
        };
        const string Claimable =
            """
            n.status = 'pending' AND n.next_attempt_ms <= @Now AND (n.claimed_until_ms IS NULL OR n.claimed_until_ms <= @Now)
              AND n.id NOT IN (SELECT value FROM json_each(@Held))
              AND (n.receiver || char(31) || n.integration || char(31) || n.integration_index) NOT IN (SELECT value FROM json_each(@FullTargets))
            """;
        await using var connection = _database.Open();

        // Look before taking the write lock: an idle poll must not make the ingest writer wait.
        var anyDue = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT 1 FROM notifications n WHERE {Claimable} LIMIT 1", parameters, cancellationToken: cancellationToken));
        if (anyDue is null)
        {
            return [];
        }

        await using var transaction = connection.BeginTransaction(deferred: false);
        var candidates = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(
            $"""
            SELECT n.id AS Id, n.receiver AS Receiver, n.integration AS Integration, n.integration_index AS IntegrationIndex,
                   n.kind AS Kind, n.detail AS Detail, n.attempts AS Attempts, n.created_at_ms AS CreatedAtMs,
                   n.claimed_until_ms IS NOT NULL AS Reclaimed
            FROM notifications n
            WHERE {Claimable}
              AND NOT (n.kind = 'resolved' AND EXISTS (
                    SELECT 1 FROM notification_alerts na
                    JOIN notification_alerts fa ON fa.occurrence_id = na.occurrence_id AND fa.notification_id < na.notification_id
                    JOIN notifications f ON f.id = fa.notification_id
                    WHERE na.notification_id = n.id AND f.status = 'pending' AND f.receiver = n.receiver
                      AND f.integration = n.integration AND f.integration_index = n.integration_index))
            ORDER BY n.next_attempt_ms, n.id
            LIMIT @Batch
            """,
            parameters, transaction, cancellationToken: cancellationToken));
        var rows = new List<ClaimedRow>();
        foreach (var row in candidates)
        {
            if (rows.Count < limit && busy.GetValueOrDefault(row.TargetKey) < perTarget)
            {
                rows.Add(row);
                busy[row.TargetKey] = busy.GetValueOrDefault(row.TargetKey) + 1;
            }
        }

        if (rows.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE notifications SET claimed_until_ms = @Until, updated_at_ms = @Now WHERE id IN @Ids",
                new { Until = nowMs + (_options.LeaseSeconds * 1000L), Now = nowMs, Ids = rows.Select(r => r.Id).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }

        transaction.Commit();
        foreach (var row in rows.Where(r => r.Reclaimed))
        {
            // Its lease ran out with no outcome recorded: the process that held it died, maybe while sending it.
            _metrics.Reclaimed.Add(1, new TagList { { "integration", row.Integration } });
            _logger.LogWarning(
                "Notification {id} to {receiver} via {integration} was claimed before and no outcome was recorded (the relay stopped holding it); sending it now: if it was being sent then, the receiver gets it twice",
                row.Id, row.Receiver, row.Integration);
        }

        return rows;
    }

    private async Task DeliverAndLogAsync(ClaimedRow row, RelayConfig config, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the claim loop goes on at once; the delivery runs on its own
        try
        {
            await DeliverAsync(row, config, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Not a delivery failure (those are results) nor the store (retried in DeliverAsync): a bug. The lease ends and it is tried again.
            _logger.LogError(ex, "Delivering notification {id} to {receiver} via {integration} failed unexpectedly; it is tried again when its lease ends",
                row.Id, row.Receiver, row.Integration);
        }
    }

    private async Task DeliverAsync(ClaimedRow row, RelayConfig config, CancellationToken cancellationToken)
    {
        var target = new NotificationTarget(row.Receiver, row.Integration, (int)row.IntegrationIndex);
        var kind = Outbox.ParseKind(row.Kind);
        NotifyResult result;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var message = await LoadMessageAsync(row, target, kind, cancellationToken);
            result = !_notifiers.TryGetValue(row.Integration, out var notifier)
                ? NotifyResult.Permanent($"no notifier for integration \"{row.Integration}\"")
                : config.FindReceiver(row.Receiver) is null
                    ? NotifyResult.Permanent($"receiver \"{row.Receiver}\" is no longer configured")
                    : await notifier.SendAsync(config, target, message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A notifier should return a result; an exception is a bug or an unforeseen error: retry, do not lose it.
            _logger.LogError(ex, "Notifier {integration} threw for notification {id}", row.Integration, row.Id);
            result = NotifyResult.RetryLater($"unexpected error: {ex.Message}");
        }

        var took = Stopwatch.GetElapsedTime(started);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RecordAsync(row, result, took, cancellationToken);
                if (attempt > 1)
                {
                    _logger.LogInformation("Recorded the outcome of notification {id} after {attempts} tries", row.Id, attempt);
                }

                return;
            }
            catch (SqliteException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The outcome is known here and nowhere else. Forgetting it would let the lease run out and send a delivered
                // notification a second time: keep it (the notification stays claimed by this process) until the store takes it.
                if (attempt == 1)
                {
                    _logger.LogError(ex, "Recording the outcome of notification {id} to {receiver} via {integration} failed; retrying until the store takes writes again",
                        row.Id, row.Receiver, row.Integration);
                }

                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, 0.25 * attempt)), _time, cancellationToken);
            }
        }
    }

    private async Task<NotificationMessage> LoadMessageAsync(ClaimedRow row, NotificationTarget target, NotificationKind kind, CancellationToken cancellationToken)
    {
        await using var connection = _database.Open();
        var alerts = await Outbox.AlertsOfAsync(connection, row.Id, cancellationToken);
        DeliveryRef? previous = null;
        if (kind is NotificationKind.Resolved or NotificationKind.Escalation && alerts.Count == 1)
        {
            var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                """
                SELECT n.delivery_ref FROM notification_alerts a JOIN notifications n ON n.id = a.notification_id
                WHERE a.occurrence_id = @OccurrenceId AND n.id < @Id AND n.kind = 'firing' AND n.status = 'sent'
                  AND n.receiver = @Receiver AND n.integration = @Integration AND n.integration_index = @Index
                ORDER BY n.id LIMIT 1
                """,
                new { OccurrenceId = alerts[0].Id, row.Id, target.Receiver, target.Integration, target.Index }, cancellationToken: cancellationToken));
            previous = json is null ? null : JsonSerializer.Deserialize<DeliveryRef>(json, HistoryJson.Options);
        }

        var externalUrl = alerts.Count == 0
            ? ""
            : await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT external_url FROM alert_occurrences WHERE id = @Id", new { alerts[0].Id }, cancellationToken: cancellationToken)) ?? "";
        return new NotificationMessage(row.Id, row.Receiver, kind, alerts, previous) { ExternalUrl = externalUrl, EscalationStep = row.Detail };
    }

    /// <summary>Records one attempt's outcome in one transaction; metrics and logs follow only once it is committed.</summary>
    /// <summary>
    /// Records an outcome. Concurrent deliveries share one transaction (one fsync, one turn at the write lock): the
    /// first caller to find the recorder free writes every outcome queued by then, the others wait for that commit.
    /// Throws when the commit failed; the caller keeps its outcome and tries again.
    /// </summary>
    private async Task RecordAsync(ClaimedRow row, NotifyResult result, TimeSpan took, CancellationToken cancellationToken)
    {
        var pending = new PendingOutcome(row, result, took);
        _outcomes.Enqueue(pending);
        while (!pending.Done.Task.IsCompleted)
        {
            await _recorder.WaitAsync(cancellationToken);
            try
            {
                if (pending.Done.Task.IsCompleted)
                {
                    break;
                }

                var batch = new List<PendingOutcome>();
                while (batch.Count < MaxOutcomesPerCommit && _outcomes.TryDequeue(out var next))
                {
                    batch.Add(next);
                }

                await RecordBatchAsync(batch, cancellationToken);
            }
            finally
            {
                _recorder.Release();
            }
        }

        await pending.Done.Task;
    }

    private async Task RecordBatchAsync(List<PendingOutcome> batch, CancellationToken cancellationToken)
    {
        var committed = new List<Action>(batch.Count);
        try
        {
            await using var connection = _database.Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var outcome in batch)
            {
                if (await RecordInAsync(connection, transaction, outcome.Row, outcome.Result, outcome.Took, cancellationToken) is { } then)
                {
                    committed.Add(then);
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            foreach (var outcome in batch)
            {
                outcome.Done.TrySetException(ex);
            }

            return;
        }

        foreach (var then in committed)
        {
            then();
        }

        foreach (var outcome in batch)
        {
            outcome.Done.TrySetResult();
        }
    }

    /// <summary>Writes one outcome in the recorder's transaction; returns what to do once it is committed (metrics, log).</summary>
    private async Task<Action?> RecordInAsync(
        SqliteConnection connection, SqliteTransaction transaction, ClaimedRow row, NotifyResult result, TimeSpan took, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var nowMs = UnixMillis.From(now);
        var attempt = (int)row.Attempts + 1;
        Action? committed = null;
        var occurrences = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT occurrence_id FROM notification_alerts WHERE notification_id = @Id", new { row.Id }, transaction, cancellationToken: cancellationToken))).AsList();

        switch (result)
        {
            case NotifyResult.Sent sent:
                if (await UpdateAsync(connection, transaction, row.Id, "sent", attempt, nowMs, null, null, sent.Reference, cancellationToken))
                {
                    foreach (var occurrence in occurrences)
                    {
                        await EventLog.AddAsync(connection, transaction, occurrence, EventKinds.Notified, nowMs, new
                        {
                            notification = row.Id, receiver = row.Receiver, integration = row.Integration, kind = row.Kind, attempt,
                            latencyMs = nowMs - row.CreatedAtMs,
                        }, cancellationToken);
                    }

                    committed = () =>
                    {
                        _metrics.Sent.Add(1, new TagList { { "integration", row.Integration }, { "receiver", row.Receiver } });
                        _metrics.Latency.Record(Math.Max(0, nowMs - row.CreatedAtMs) / 1000.0, new TagList { { "integration", row.Integration } });
                        _logger.LogInformation("Delivered {kind} notification {id} to {receiver} via {integration} (attempt {attempt}, {ms} ms)",
                            row.Kind, row.Id, row.Receiver, row.Integration, attempt, (long)took.TotalMilliseconds);
                    };
                }

                break;

            case NotifyResult.Retry retry when attempt < _options.MaxAttempts:
                var delay = Backoff(attempt, retry.RetryAfter);
                if (await UpdateAsync(connection, transaction, row.Id, "pending", attempt, nowMs, nowMs + (long)delay.TotalMilliseconds, retry.Reason, null, cancellationToken))
                {
                    // Bounded by MaxAttempts, so an outage leaves a readable trail rather than a flood.
                    foreach (var occurrence in occurrences)
                    {
                        await EventLog.AddAsync(connection, transaction, occurrence, EventKinds.NotificationRetry, nowMs, new
                        {
                            notification = row.Id, receiver = row.Receiver, integration = row.Integration, kind = row.Kind, attempt,
                            reason = retry.Reason, nextAttemptAt = Rfc3339.Format(now + delay),
                        }, cancellationToken);
                    }
                }

                committed = () =>
                {
                    _metrics.Failed.Add(1, new TagList { { "integration", row.Integration }, { "receiver", row.Receiver }, { "reason", "retry" } });
                    _logger.LogWarning("Notification {id} to {receiver} via {integration} failed (attempt {attempt}): {reason}; retrying in {delay}",
                        row.Id, row.Receiver, row.Integration, attempt, retry.Reason, delay);
                };
                break;

            default:
                var reason = result switch
                {
                    NotifyResult.Retry r => $"gave up after {attempt} attempts: {r.Reason}",
                    NotifyResult.Failed f => f.Reason,
                    _ => "unknown result",
                };
                if (await UpdateAsync(connection, transaction, row.Id, "dead", attempt, nowMs, null, reason, null, cancellationToken))
                {
                    foreach (var occurrence in occurrences)
                    {
                        await EventLog.AddAsync(connection, transaction, occurrence, EventKinds.NotificationFailed, nowMs, new
                        {
                            notification = row.Id, receiver = row.Receiver, integration = row.Integration, kind = row.Kind, attempt, reason,
                        }, cancellationToken);
                    }

                    committed = () =>
                    {
                        _metrics.Failed.Add(1, new TagList { { "integration", row.Integration }, { "receiver", row.Receiver }, { "reason", "dead" } });
                        _logger.LogError("Notification {id} to {receiver} via {integration} is dead: {reason}", row.Id, row.Receiver, row.Integration, reason);
                    };
                }

                break;
        }

        return committed;
    }

    /// <summary>Exponential backoff with ±20% jitter, never shorter than the server's Retry-After.</summary>
    internal TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var seconds = Math.Min(_options.MaxBackoffSeconds, _options.InitialBackoffSeconds * Math.Pow(2, attempt - 1));
        var jittered = TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
        return retryAfter is { } after && after > jittered ? after : jittered;
    }

    /// <summary>Records an outcome unless another dispatcher already finished the notification (its lease ran out meanwhile).</summary>
    private static async Task<bool> UpdateAsync(
        SqliteConnection connection, SqliteTransaction transaction, long id, string status, int attempts, long nowMs, long? nextAttemptMs,
        string? error, DeliveryRef? reference, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications
            SET status = @Status, attempts = @Attempts, claimed_until_ms = NULL, updated_at_ms = @Now,
                next_attempt_ms = coalesce(@NextAttemptMs, next_attempt_ms), last_error = @Error,
                delivery_ref = coalesce(@Reference, delivery_ref),
                sent_at_ms = CASE WHEN @Status = 'sent' THEN @Now ELSE sent_at_ms END
            WHERE id = @Id AND status = 'pending'
            """,
            new
            {
                Id = id, Status = status, Attempts = attempts, Now = nowMs, NextAttemptMs = nextAttemptMs, Error = error,
                Reference = reference is null ? null : JsonSerializer.Serialize(reference, HistoryJson.Options),
            },
            transaction, cancellationToken: cancellationToken)) == 1;

    private async Task UpdateGaugesAsync(CancellationToken cancellationToken)
    {
        await using var connection = _database.Open();
        var stats = await connection.QuerySingleAsync<GaugeRow>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM notifications WHERE status = 'pending') AS Pending,
                   (SELECT min(created_at_ms) FROM notifications WHERE status = 'pending') AS OldestMs,
                   (SELECT count(*) FROM notifications WHERE status = 'dead') AS Dead
            """, cancellationToken: cancellationToken));
        _metrics.Pending.Set(stats.Pending);
        _metrics.Dead.Set(stats.Dead);
        _metrics.OldestPendingAge.Set(stats.OldestMs is { } oldest ? Math.Max(0, (UnixMillis.From(_time.GetUtcNow()) - oldest) / 1000.0) : 0);
    }

    private sealed class PendingOutcome(ClaimedRow row, NotifyResult result, TimeSpan took)
    {
        public ClaimedRow Row { get; } = row;

        public NotifyResult Result { get; } = result;

        public TimeSpan Took { get; } = took;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class ClaimedRow
    {
        public long Id { get; set; }

        public string Receiver { get; set; } = "";

        public string Integration { get; set; } = "";

        public long IntegrationIndex { get; set; }

        public string Kind { get; set; } = "";

        public string? Detail { get; set; }

        public long Attempts { get; set; }

        public long CreatedAtMs { get; set; }

        /// <summary>Claimed before, and its lease ran out with no outcome recorded.</summary>
        public bool Reclaimed { get; set; }

        /// <summary>The target as one string (receiver, integration, index; unit-separated), as the claim query builds it.</summary>
        public string TargetKey => $"{Receiver}\u001f{Integration}\u001f{IntegrationIndex.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>One target's notifications claimed by this process: waiting their turn, and being sent.</summary>
    private sealed class Lane
    {
        public Queue<ClaimedRow> Waiting { get; } = new();

        public HashSet<ClaimedRow> Sending { get; } = [];

        public IEnumerable<ClaimedRow> Held => Waiting.Concat(Sending);
    }

    private sealed class GaugeRow
    {
        public long Pending { get; set; }

        public long? OldestMs { get; set; }

        public long Dead { get; set; }
    }
}

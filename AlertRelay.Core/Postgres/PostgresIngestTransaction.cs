using System.Data;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>One ingest batch on PostgreSQL: a transaction holding the ingest clock, each message a savepoint.</summary>
internal sealed partial class PostgresIngestTransaction : IIngestTransaction
{
    private const NpgsqlDbType Bigint = NpgsqlDbType.Bigint;
    private const NpgsqlDbType Text = NpgsqlDbType.Text;
    private const NpgsqlDbType Jsonb = NpgsqlDbType.Jsonb;

    /// <summary>More fingerprints changed elsewhere than this and the writer fills its state afresh rather than one by one.</summary>
    private const int MaxRefresh = 10_000;

    private readonly PostgresIngestStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly bool _write;
    private readonly long _seq;
    private readonly PendingStatements _pending;
    private int _savepointAt = -1; // where the message's SAVEPOINT waits among the pending statements; -1 once sent
    private bool _changesRead;

    public PostgresIngestTransaction(PostgresIngestStore store, NpgsqlConnection connection, bool write)
    {
        _store = store;
        _connection = connection;
        _write = write;
        _transaction = connection.BeginTransaction(write ? IsolationLevel.ReadCommitted : IsolationLevel.RepeatableRead);
        _seq = write
            ? connection.ExecuteScalar<long>("UPDATE ingest_clock SET seq = seq + 1 RETURNING seq", transaction: _transaction)
            : connection.ExecuteScalar<long>("SELECT seq FROM ingest_clock", transaction: _transaction);
        _pending = new PendingStatements(connection, _transaction, ReadStatsRow);
    }

    /// <summary>Sends the pending writes before a read (the read must see them) or the commit.</summary>
    private NpgsqlTransaction Sent()
    {
        _savepointAt = -1; // from here on the savepoint is PostgreSQL's: a failure below is taken back by rolling back to it
        _pending.Send();
        return _transaction;
    }

    public long NextOccurrenceId() => _store.NextId(_connection, _transaction);

    public IReadOnlyCollection<Fingerprint>? ChangedElsewhere()
    {
        if (_changesRead || !_write)
        {
            return [];
        }

        _changesRead = true;
        if (_store.SeenSeq is not { } seen)
        {
            return null;
        }

        if (seen == _seq - 1)
        {
            return [];
        }

        var changed = _connection.Query<long>(
            "SELECT DISTINCT fingerprint FROM alert_occurrences WHERE change_seq > @Seen AND change_seq < @Seq LIMIT @Max",
            new { Seen = seen, Seq = _seq, Max = MaxRefresh + 1 }, Sent()).AsList();
        return changed.Count > MaxRefresh ? null : changed.Select(Fingerprint.FromInt64).ToList();
    }

    public OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs) =>
        _connection.QuerySingleOrDefault<StateRow>(
            "SELECT id, status, coalesce(annotations_exact, annotations::text) AS annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE starts_at_ms = @StartsAtMs AND fingerprint = @Fingerprint",
            new { Fingerprint = fingerprint.ToInt64(), StartsAtMs = startsAtMs }, Sent())?.ToState();

    public OccurrenceState? Load(long id) =>
        _connection.QuerySingleOrDefault<StateRow>(
            "SELECT id, status, coalesce(annotations_exact, annotations::text) AS annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE id = @Id",
            new { Id = id }, Sent())?.ToState();

    public LabelSet LoadAnnotations(long id) =>
        _connection.ExecuteScalar<string?>("SELECT coalesce(annotations_exact, annotations::text) FROM alert_occurrences WHERE id = @Id", new { Id = id }, Sent()) is { } json
            ? LabelSet.FromJson(json)
            : LabelSet.Empty;

    public IReadOnlyList<NotificationTarget> NotifiedTargets(long occurrenceId) => PostgresOutboxRows.NotifiedTargets(_connection, Sent(), occurrenceId);

    public void LoadIdentities(IdentityIndex index)
    {
        foreach (var row in _connection.Query<(long Fingerprint, long StartsAtMs, long Id)>(
                     "SELECT fingerprint, starts_at_ms, id FROM alert_occurrences", transaction: Sent(), buffered: false))
        {
            index.AddStored(Fingerprint.FromInt64(row.Fingerprint), row.StartsAtMs, row.Id);
        }

        AddOlderFiring(index, _connection.Query<(long Fingerprint, long Id)>(
            "SELECT fingerprint, id FROM alert_occurrences WHERE status = 'firing'", transaction: Sent()));
        index.MarkLoaded();
    }

    public void LoadIdentities(IdentityIndex index, IReadOnlyCollection<Fingerprint> fingerprints)
    {
        var keys = fingerprints.Select(f => f.ToInt64()).ToArray();
        foreach (var fingerprint in fingerprints)
        {
            index.Drop(fingerprint);
        }

        var rows = _connection.Query<(long Fingerprint, long StartsAtMs, long Id, string Status)>(
            "SELECT fingerprint, starts_at_ms, id, status FROM alert_occurrences WHERE fingerprint = ANY(@Keys)", new { Keys = keys }, Sent()).AsList();
        foreach (var row in rows)
        {
            index.AddStored(Fingerprint.FromInt64(row.Fingerprint), row.StartsAtMs, row.Id);
        }

        AddOlderFiring(index, rows.Where(r => r.Status == AlertStatusText.Firing).Select(r => (r.Fingerprint, r.Id)));
    }

    private static void AddOlderFiring(IdentityIndex index, IEnumerable<(long Fingerprint, long Id)> firing)
    {
        foreach (var (key, id) in firing)
        {
            var fingerprint = Fingerprint.FromInt64(key);
            if (index.TryGetLatest(fingerprint, out var latest) && latest.Id != id)
            {
                index.AddOlderFiring(fingerprint, id);
            }
        }
    }

    public IReadOnlyList<FiringOccurrence> LoadFiring() =>
        _connection.Query<(long Id, long Fingerprint, string Labels, long? InhibitedBy)>(
                "SELECT id, fingerprint, coalesce(labels_exact, labels::text), inhibited_by FROM alert_occurrences WHERE status = 'firing'", transaction: Sent())
            .Select(r => new FiringOccurrence(r.Id, Fingerprint.FromInt64(r.Fingerprint), LabelSet.FromJson(r.Labels), r.InhibitedBy))
            .ToList();

    public IReadOnlyList<ReopenCandidate> DueReopens(long nowMs) =>
        _connection.Query<(long Id, long Fingerprint, string Labels, string Annotations, long StartsAtMs, string GeneratorUrl)>(
                """
                SELECT id, fingerprint, coalesce(labels_exact, labels::text), coalesce(annotations_exact, annotations::text), starts_at_ms, generator_url FROM alert_occurrences
                WHERE reopen_due_ms IS NOT NULL AND reopen_due_ms <= @Now
                ORDER BY reopen_due_ms, id
                """, new { Now = nowMs }, Sent())
            .Select(r => new ReopenCandidate(r.Id, new Alert(Fingerprint.FromInt64(r.Fingerprint), AlertStatus.Firing, LabelSet.FromJson(r.Labels),
                LabelSet.FromJson(r.Annotations), UnixMillis.ToDateTimeOffset(r.StartsAtMs), null, r.GeneratorUrl)))
            .ToList();

    public void Persist(AlertPlan plan)
    {
        if (plan.IsEmpty)
        {
            return;
        }

        var now = plan.NowMs;
        if (plan.Insert is { } insert)
        {
            Insert(insert, now);
        }

        foreach (var superseded in plan.SupersededOrEmpty)
        {
            _pending.AddReturning(
                """
                UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = $2, updated_at_ms = $3, change_seq = $4 WHERE id = $1 AND status = 'firing'
                RETURNING $5::integer, starts_at_ms, 'firing'::text, severity, NULL::bigint, status, severity, ends_at_ms
                """,
                $"occurrence {superseded.Id} is no longer firing",
                (superseded.Id, Bigint), (superseded.EndsAtMs, Bigint), (now, Bigint), (_seq, Bigint), (_stats.Add(null, null), NpgsqlDbType.Integer));
        }

        if (plan.Update is { } update)
        {
            Update(update, now);
        }

        if (plan.EventsOrEmpty is { Count: > 0 } events)
        {
            _pending.Add(
                "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) SELECT o, $1, k, d FROM unnest($2, $3, $4) AS e(o, k, d)", null,
                (now, Bigint), (events.Select(e => e.OccurrenceId).ToArray(), Bigint | NpgsqlDbType.Array),
                (events.Select(e => e.Kind).ToArray(), Text | NpgsqlDbType.Array), (events.Select(e => e.DetailJson).ToArray(), Text | NpgsqlDbType.Array));
        }

        foreach (var inhibition in plan.InhibitionsOrEmpty)
        {
            _pending.Add("UPDATE alert_occurrences SET inhibited_by = $2, updated_at_ms = $3, change_seq = $4 WHERE id = $1", null,
                (inhibition.TargetId, Bigint), (inhibition.SourceId, Bigint), (now, Bigint), (_seq, Bigint));
        }

        foreach (var escalation in plan.EscalationsOrEmpty)
        {
            if (escalation.StartPolicy is { } policy)
            {
                _pending.Add(
                    """
                    INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms, next_reminder_ms)
                    VALUES ($1, $2, $3, 0, $4, $5, $6)
                    ON CONFLICT (occurrence_id) DO UPDATE SET next_due_ms = excluded.next_due_ms, updated_at_ms = excluded.updated_at_ms
                    """, null,
                    (escalation.OccurrenceId, Bigint), (policy, Text), (escalation.FiringSinceMs, Bigint), (escalation.NextDueMs, Bigint), (now, Bigint),
                    (escalation.NextReminderMs, Bigint));
            }
            else
            {
                // A stopped ladder (resolved) pauses its reminders: if it fires again they start over one interval after that.
                _pending.Add(
                    """
                    UPDATE escalations SET next_due_ms = $2, updated_at_ms = $3, next_reminder_ms = CASE WHEN $2 IS NULL THEN NULL ELSE next_reminder_ms END
                    WHERE occurrence_id = $1
                    """, null,
                    (escalation.OccurrenceId, Bigint), (escalation.NextDueMs, Bigint), (now, Bigint));
            }
        }

        PersistMutedReceivers(plan);
    }

    /// <summary>Stores a new occurrence with the id planned for it (a conflict when the identity or the id is already stored).</summary>
    private void Insert(NewOccurrence insert, long now)
    {
        var alert = insert.Alert;
        var (labels, labelsExact) = PostgresText.Json(alert.Labels);
        var (annotations, annotationsExact) = PostgresText.Json(alert.Annotations);
        _pending.Add(
            """
            INSERT INTO alert_occurrences (id, fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations, labels_exact,
                                           annotations_exact, generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms,
                                           receivers, change_seq)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18)
            ON CONFLICT DO NOTHING
            """,
            $"occurrence {alert.Fingerprint}@{UnixMillis.From(alert.StartsAt)} (id {insert.Id}) is already stored",
            (insert.Id, Bigint), (alert.Fingerprint.ToInt64(), Bigint), (UnixMillis.From(alert.StartsAt), Bigint), (insert.EndsAtMs, Bigint),
            (alert.Status.ToText(), Text), (PostgresText.Storable(alert.Name), Text), (PostgresText.Storable(alert.Severity), Text),
            (labels, Jsonb), (annotations, Jsonb), (labelsExact, Text), (annotationsExact, Text), (PostgresText.Storable(alert.GeneratorUrl), Text),
            (PostgresText.Storable(insert.Context.Receiver), Text), (PostgresText.Storable(insert.Context.GroupKey), Text),
            (PostgresText.Storable(insert.Context.ExternalUrl), Text), (now, Bigint), (insert.Receivers.Json, Jsonb), (_seq, Bigint));
        _stats.Add(null, new StatsFacts(UnixMillis.From(alert.StartsAt), alert.Status.ToText(), PostgresText.Storable(alert.Severity), insert.EndsAtMs));
    }

    /// <summary>
    /// Sets an occurrence's status, end, annotations (when given) and re-open candidacy (a conflict when it is gone). The row as it
    /// was comes back for the stats rollup, read from a locked copy (PostgreSQL 15 has no RETURNING OLD): a concurrent change (an
    /// escalation step setting the severity) is waited for and seen, never counted twice or missed.
    /// </summary>
    private void Update(OccurrenceUpdate update, long now)
    {
        var (annotations, annotationsExact) = PostgresText.Json(update.AnnotationsJson);
        _pending.AddReturning(
            """
            -- NO KEY UPDATE, the lock the UPDATE takes anyway: FOR UPDATE would also block the foreign-key checks (KEY SHARE) of
            -- the dispatcher recording a delivery for this occurrence, and the two deadlocked (a CI run of the HA-pair test).
            UPDATE alert_occurrences o
            SET status = $2, ends_at_ms = $3, updated_at_ms = $4, change_seq = $5,
                annotations = coalesce($6, o.annotations),
                annotations_exact = CASE WHEN $6 IS NULL THEN o.annotations_exact ELSE $7 END,
                reopen_due_ms = CASE WHEN $8 THEN coalesce($9, o.reopen_due_ms) END
            FROM (SELECT id, status, severity, ends_at_ms FROM alert_occurrences WHERE id = $1 FOR NO KEY UPDATE) old
            WHERE o.id = old.id
            RETURNING $10::integer, o.starts_at_ms, old.status, old.severity, old.ends_at_ms, o.status, o.severity, o.ends_at_ms
            """,
            $"occurrence {update.Id} is gone",
            (update.Id, Bigint), (update.Status.ToText(), Text), (update.EndsAtMs, Bigint), (now, Bigint), (_seq, Bigint),
            (annotations, Jsonb), (annotationsExact, Text), (update.ReopenPending, NpgsqlDbType.Boolean), (update.ReopenDueMs, Bigint),
            (_stats.Add(null, null), NpgsqlDbType.Integer));
    }

    public void Persist(IReadOnlyList<QueuedNotification> notifications, long nowMs)
    {
        foreach (var n in notifications)
        {
            _pending.Add(PostgresOutboxRows.EnqueueSql, null,
                (n.Target.Receiver, Text), (n.Target.Integration, Text), (n.Target.Index, NpgsqlDbType.Integer), (Outbox.KindText(n.Kind), Text),
                (n.Detail, Text), (nowMs, Bigint), (n.OccurrenceIds.ToArray(), Bigint | NpgsqlDbType.Array),
                (n.Page?.Schedule, Text), (n.Page?.Participant, Text));
        }
    }

    public void BeginMessage()
    {
        _messageStats = _stats.Count;
        _savepointAt = _pending.Count;
        _pending.Add("SAVEPOINT message", null);
    }

    /// <summary>Sends the message's writes (its conflicts surface here, while the savepoint can still take them back).</summary>
    public void EndMessage()
    {
        Sent();
        _pending.Add("RELEASE SAVEPOINT message", null); // goes with the next message's writes, or the commit
    }

    public void UndoMessage()
    {
        if (_savepointAt >= 0)
        {
            _pending.DropFrom(_savepointAt); // nothing of the message reached PostgreSQL
        }
        else
        {
            _pending.DropFrom(0);
            _transaction.Rollback("message");
            _transaction.Release("message");
        }

        _stats.TruncateTo(_messageStats);
        _savepointAt = -1;
    }

    public void Commit()
    {
        if (_pending.ReturnsRows)
        {
            Sent(); // the rollup changes of those statements come with their rows
        }

        if (_stats.Buckets() is { Count: > 0 } buckets)
        {
            _pending.Add(PostgresStatsRollup.Upsert, null, PostgresStatsRollup.Parameters(buckets)); // sent with the last writes
        }

        Sent().Commit();
        _store.SeenSeq = _seq;
    }

    public void Dispose() => _transaction.Dispose();

    private sealed class StateRow
    {
        public long Id { get; set; }

        public string Status { get; set; } = "";

        public string Annotations { get; set; } = "{}";

        public long? Ends_At_Ms { get; set; }

        public long? Reopen_Due_Ms { get; set; }

        public OccurrenceState ToState() =>
            new(Id, Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
                OccurrenceState.HashAnnotations(LabelSet.FromJson(Annotations)), Ends_At_Ms, Reopen_Due_Ms is not null);
    }
}

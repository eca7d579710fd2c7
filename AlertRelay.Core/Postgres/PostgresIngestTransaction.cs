using System.Data;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>One ingest batch on PostgreSQL: a transaction holding the ingest clock, each message a savepoint.</summary>
internal sealed class PostgresIngestTransaction : IIngestTransaction
{
    /// <summary>More fingerprints changed elsewhere than this and the writer fills its state afresh rather than one by one.</summary>
    private const int MaxRefresh = 10_000;

    private readonly PostgresIngestStore _store;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly bool _write;
    private readonly long _seq;
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
            new { Seen = seen, Seq = _seq, Max = MaxRefresh + 1 }, _transaction).AsList();
        return changed.Count > MaxRefresh ? null : changed.Select(Fingerprint.FromInt64).ToList();
    }

    public OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs) =>
        _connection.QuerySingleOrDefault<StateRow>(
            "SELECT id, status, coalesce(annotations_exact, annotations::text) AS annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE starts_at_ms = @StartsAtMs AND fingerprint = @Fingerprint",
            new { Fingerprint = fingerprint.ToInt64(), StartsAtMs = startsAtMs }, _transaction)?.ToState();

    public OccurrenceState? Load(long id) =>
        _connection.QuerySingleOrDefault<StateRow>(
            "SELECT id, status, coalesce(annotations_exact, annotations::text) AS annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE id = @Id",
            new { Id = id }, _transaction)?.ToState();

    public LabelSet LoadAnnotations(long id) =>
        _connection.ExecuteScalar<string?>("SELECT coalesce(annotations_exact, annotations::text) FROM alert_occurrences WHERE id = @Id", new { Id = id }, _transaction) is { } json
            ? LabelSet.FromJson(json)
            : LabelSet.Empty;

    public IReadOnlyList<NotificationTarget> NotifiedTargets(long occurrenceId) => PostgresOutboxRows.NotifiedTargets(_connection, _transaction, occurrenceId);

    public void LoadIdentities(IdentityIndex index)
    {
        foreach (var row in _connection.Query<(long Fingerprint, long StartsAtMs, long Id)>(
                     "SELECT fingerprint, starts_at_ms, id FROM alert_occurrences", transaction: _transaction, buffered: false))
        {
            index.AddStored(Fingerprint.FromInt64(row.Fingerprint), row.StartsAtMs, row.Id);
        }

        AddOlderFiring(index, _connection.Query<(long Fingerprint, long Id)>(
            "SELECT fingerprint, id FROM alert_occurrences WHERE status = 'firing'", transaction: _transaction));
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
            "SELECT fingerprint, starts_at_ms, id, status FROM alert_occurrences WHERE fingerprint = ANY(@Keys)", new { Keys = keys }, _transaction).AsList();
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
                "SELECT id, fingerprint, coalesce(labels_exact, labels::text), inhibited_by FROM alert_occurrences WHERE status = 'firing'", transaction: _transaction)
            .Select(r => new FiringOccurrence(r.Id, Fingerprint.FromInt64(r.Fingerprint), LabelSet.FromJson(r.Labels), r.InhibitedBy))
            .ToList();

    public IReadOnlyList<ReopenCandidate> DueReopens(long nowMs) =>
        _connection.Query<(long Id, long Fingerprint, string Labels, string Annotations, long StartsAtMs, string GeneratorUrl)>(
                """
                SELECT id, fingerprint, coalesce(labels_exact, labels::text), coalesce(annotations_exact, annotations::text), starts_at_ms, generator_url FROM alert_occurrences
                WHERE reopen_due_ms IS NOT NULL AND reopen_due_ms <= @Now
                ORDER BY reopen_due_ms, id
                """, new { Now = nowMs }, _transaction)
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
        if (plan.Insert is { } insert && !Insert(insert, now))
        {
            throw new OccurrenceConflictException($"occurrence {insert.Alert.Fingerprint}@{UnixMillis.From(insert.Alert.StartsAt)} (id {insert.Id}) is already stored");
        }

        foreach (var superseded in plan.SupersededOrEmpty)
        {
            if (_connection.Execute(
                    """
                    UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = @EndsAtMs, updated_at_ms = @Now, change_seq = @Seq
                    WHERE id = @Id AND status = 'firing'
                    """,
                    new { superseded.Id, superseded.EndsAtMs, Now = now, Seq = _seq }, _transaction) != 1)
            {
                throw new OccurrenceConflictException($"occurrence {superseded.Id} is no longer firing");
            }
        }

        if (plan.Update is { } update && !Update(update, now))
        {
            throw new OccurrenceConflictException($"occurrence {update.Id} is gone");
        }

        if (plan.EventsOrEmpty.Count > 0)
        {
            var events = plan.EventsOrEmpty;
            _connection.Execute(
                "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) SELECT o, @Now, k, d FROM unnest(@Ids, @Kinds, @Details) AS e(o, k, d)",
                new
                {
                    Now = now, Ids = events.Select(e => e.OccurrenceId).ToArray(), Kinds = events.Select(e => e.Kind).ToArray(),
                    Details = events.Select(e => e.DetailJson).ToArray(),
                },
                _transaction);
        }

        foreach (var inhibition in plan.InhibitionsOrEmpty)
        {
            _connection.Execute("UPDATE alert_occurrences SET inhibited_by = @SourceId, updated_at_ms = @Now, change_seq = @Seq WHERE id = @TargetId",
                new { inhibition.TargetId, inhibition.SourceId, Now = now, Seq = _seq }, _transaction);
        }

        foreach (var escalation in plan.EscalationsOrEmpty)
        {
            if (escalation.StartPolicy is { } policy)
            {
                _connection.Execute(
                    """
                    INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms)
                    VALUES (@OccurrenceId, @Policy, @FiringSinceMs, 0, @NextDueMs, @Now)
                    ON CONFLICT (occurrence_id) DO UPDATE SET next_due_ms = excluded.next_due_ms, updated_at_ms = excluded.updated_at_ms
                    """,
                    new { escalation.OccurrenceId, Policy = policy, escalation.FiringSinceMs, escalation.NextDueMs, Now = now }, _transaction);
            }
            else
            {
                _connection.Execute("UPDATE escalations SET next_due_ms = @NextDueMs, updated_at_ms = @Now WHERE occurrence_id = @OccurrenceId",
                    new { escalation.OccurrenceId, escalation.NextDueMs, Now = now }, _transaction);
            }
        }
    }

    /// <summary>Stores a new occurrence with the id planned for it; false when the identity or the id is already stored.</summary>
    private bool Insert(NewOccurrence insert, long now)
    {
        var alert = insert.Alert;
        var (labels, labelsExact) = PostgresText.Json(alert.Labels);
        var (annotations, annotationsExact) = PostgresText.Json(alert.Annotations);
        return _connection.ExecuteScalar<long?>(
            """
            INSERT INTO alert_occurrences (id, fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations, labels_exact,
                                           annotations_exact, generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms,
                                           receivers, change_seq)
            VALUES (@Id, @Fingerprint, @StartsAtMs, @EndsAtMs, @Status, @Alertname, @Severity, @Labels::jsonb, @Annotations::jsonb, @LabelsExact,
                    @AnnotationsExact, @GeneratorUrl, @Receiver, @GroupKey, @ExternalUrl, @Now, @Now, @Receivers::jsonb, @Seq)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            new
            {
                insert.Id, Fingerprint = alert.Fingerprint.ToInt64(), StartsAtMs = UnixMillis.From(alert.StartsAt), insert.EndsAtMs,
                Status = alert.Status.ToText(), Alertname = PostgresText.Storable(alert.Name), Severity = PostgresText.Storable(alert.Severity),
                Labels = labels, Annotations = annotations, LabelsExact = labelsExact, AnnotationsExact = annotationsExact,
                GeneratorUrl = PostgresText.Storable(alert.GeneratorUrl), Receiver = PostgresText.Storable(insert.Context.Receiver),
                GroupKey = PostgresText.Storable(insert.Context.GroupKey), ExternalUrl = PostgresText.Storable(insert.Context.ExternalUrl),
                Now = now, Receivers = insert.Receivers.Json, Seq = _seq,
            },
            _transaction) is not null;
    }

    /// <summary>Sets an occurrence's status, end, annotations (when given) and re-open candidacy; false when it is gone.</summary>
    private bool Update(OccurrenceUpdate update, long now)
    {
        var (annotations, annotationsExact) = PostgresText.Json(update.AnnotationsJson);
        return _connection.Execute(
            """
            UPDATE alert_occurrences
            SET status = @Status, ends_at_ms = @EndsAtMs, updated_at_ms = @Now, change_seq = @Seq,
                annotations = coalesce(@Annotations::jsonb, annotations),
                annotations_exact = CASE WHEN @Annotations IS NULL THEN annotations_exact ELSE @AnnotationsExact END,
                reopen_due_ms = CASE WHEN @ReopenPending THEN coalesce(@ReopenDueMs, reopen_due_ms) END
            WHERE id = @Id
            """,
            new
            {
                update.Id, Status = update.Status.ToText(), update.EndsAtMs, Annotations = annotations, AnnotationsExact = annotationsExact, Now = now,
                update.ReopenPending, update.ReopenDueMs, Seq = _seq,
            },
            _transaction) == 1;
    }

    public void Persist(IReadOnlyList<QueuedNotification> notifications, long nowMs)
    {
        foreach (var n in notifications)
        {
            PostgresOutboxRows.Enqueue(_connection, _transaction, n.Target, n.Kind, n.OccurrenceIds, n.Detail, nowMs);
        }
    }

    public void BeginMessage() => _transaction.Save("message");

    public void EndMessage() => _transaction.Release("message");

    public void UndoMessage()
    {
        _transaction.Rollback("message");
        _transaction.Release("message");
    }

    public void Commit()
    {
        _transaction.Commit();
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

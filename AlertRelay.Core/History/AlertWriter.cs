using System.Buffers;
using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.Ingest;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// The statements that write alert occurrences and their events. They are the ingest hot path, so they
/// are prepared once per connection and reused (plain ADO.NET rather than Dapper, which builds a new
/// command, and so a new prepared statement, on every call).
/// </summary>
public sealed class AlertWriter : IDisposable
{
    private readonly SqliteCommand _lookup;
    private readonly RawStatement _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _loadById;
    private readonly SqliteCommand _resolveById;
    private readonly SqliteCommand _loadStatsFacts;
    private readonly RawStatement _addEvent;
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly SqliteCommand _setInhibitedBy;
    private readonly SqliteCommand _startEscalation;
    private readonly SqliteCommand _setEscalationDue;
    private readonly SqliteConnection _connection;

    public AlertWriter(SqliteConnection connection)
    {
        _connection = connection;
        _lookup = Command(connection, """
            SELECT id, status, annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE starts_at_ms = @starts_at_ms AND fingerprint = @fingerprint
            """, "@fingerprint", "@starts_at_ms");
        _loadById = Command(connection, "SELECT status, annotations, ends_at_ms, reopen_due_ms FROM alert_occurrences WHERE id = @id", "@id");
        _insert = new RawStatement(connection, """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                                           generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms, receivers)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)
            ON CONFLICT DO NOTHING
            RETURNING id
            """);
        _update = Command(connection, """
            UPDATE alert_occurrences
            SET status = @status, ends_at_ms = @ends_at_ms, annotations = coalesce(@annotations, annotations), updated_at_ms = @now,
                reopen_due_ms = CASE WHEN @reopen_pending THEN coalesce(@reopen_due_ms, reopen_due_ms) END
            WHERE id = @id
            """, "@id", "@status", "@ends_at_ms", "@annotations", "@now", "@reopen_pending", "@reopen_due_ms");
        _resolveById = Command(connection, """
            UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = @ends_at_ms, updated_at_ms = @now
            WHERE id = @id AND status = 'firing'
            RETURNING starts_at_ms, severity
            """, "@id", "@ends_at_ms", "@now");
        _loadStatsFacts = Command(connection, "SELECT starts_at_ms, status, severity, ends_at_ms FROM alert_occurrences WHERE id = @id", "@id");
        _addEvent = new RawStatement(connection, "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (?1, ?2, ?3, ?4)");
        _setInhibitedBy = Command(connection,
            "UPDATE alert_occurrences SET inhibited_by = @inhibited_by, updated_at_ms = @now WHERE id = @id", "@id", "@inhibited_by", "@now");
        _startEscalation = Command(connection, """
            INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms, next_reminder_ms)
            VALUES (@id, @policy, @firing_since_ms, 0, @next_due_ms, @now, @next_reminder_ms)
            ON CONFLICT (occurrence_id) DO UPDATE SET next_due_ms = excluded.next_due_ms, updated_at_ms = excluded.updated_at_ms
            """, "@id", "@policy", "@firing_since_ms", "@next_due_ms", "@now", "@next_reminder_ms");
        // A stopped ladder (resolved) pauses its reminders: if it fires again they start over one interval after that.
        _setEscalationDue = Command(connection, """
            UPDATE escalations
            SET next_due_ms = @next_due_ms, updated_at_ms = @now, next_reminder_ms = CASE WHEN @next_due_ms IS NULL THEN NULL ELSE next_reminder_ms END
            WHERE occurrence_id = @id
            """, "@id", "@next_due_ms", "@now");
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, null));
        }

        return command;
    }

    /// <summary>The writer's connection, for statements that join its transaction (the outbox).</summary>
    internal SqliteConnection Connection => _connection;

    /// <summary>The transaction the statements run in since the last <see cref="Enlist"/>.</summary>
    internal SqliteTransaction Transaction => _lookup.Transaction ?? throw new InvalidOperationException("Enlist the writer in a transaction first");

    /// <summary>Runs the statements inside <paramref name="transaction"/> until the next call.</summary>
    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in new[] { _lookup, _loadById, _update, _resolveById, _loadStatsFacts, _setInhibitedBy, _startEscalation, _setEscalationDue })
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>The stored occurrence with exactly this identity, if any (an index seek on the time-ordered identity key).</summary>
    public OccurrenceState? Find(Fingerprint fingerprint, long startsAtMs)
    {
        Set(_lookup, fingerprint.ToInt64(), startsAtMs);
        using var reader = _lookup.ExecuteReader();
        return reader.Read() ? ReadStored(reader, reader.GetInt64(0), first: 1) : null;
    }

    /// <summary>The largest occurrence id stored (0 when none): SQLite gives a new row this plus one, and so does the writer.</summary>
    public long MaxOccurrenceId()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT coalesce(max(id), 0) FROM alert_occurrences";
        command.Transaction = _lookup.Transaction;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The deduplication state of an occurrence known by id; null when it is gone (deleted by retention).</summary>
    public OccurrenceState? Load(long id)
    {
        Set(_loadById, id);
        using var reader = _loadById.ExecuteReader();
        return reader.Read() ? ReadStored(reader, id, first: 0) : null;
    }

    /// <summary>Reads (status, annotations, ends_at_ms, reopen_due_ms) from column <paramref name="first"/> on.</summary>
    private static OccurrenceState ReadStored(SqliteDataReader reader, long id, int first) =>
        new(id, ParseStatus(reader.GetString(first)), HashAnnotations(reader.GetString(first + 1)),
            reader.IsDBNull(first + 2) ? null : reader.GetInt64(first + 2), ReopenPending: !reader.IsDBNull(first + 3));

    /// <summary>The stored annotations of an occurrence (for the annotations_changed event).</summary>
    public LabelSet LoadAnnotations(long id)
    {
        Set(_loadById, id);
        using var reader = _loadById.ExecuteReader();
        return reader.Read() ? LabelSet.FromJson(reader.GetString(1)) : LabelSet.Empty;
    }

    private static AlertStatus ParseStatus(string status) => status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved;

    private static ulong HashAnnotations(string json) => OccurrenceState.HashAnnotations(LabelSet.FromJson(json));

    /// <summary>
    /// Stores a new occurrence with the receivers the routing tree chose for it, and checks that it got the id allocated for
    /// it. False when the identity is already stored (nothing is written) or SQLite chose another id (a row written behind
    /// the writer's back): either way the caller's in-memory view was out of date and it takes the message back. The id
    /// is left to SQLite (max(id) + 1, what was allocated) because an explicit rowid costs an extra seek per insert.
    /// </summary>
    public bool InsertOccurrence(long id, Alert alert, AlertContext context, long? endsAtMs, string receiversJson, long nowMs)
    {
        _insert.Bind(1, alert.Fingerprint.ToInt64());
        _insert.Bind(2, UnixMillis.From(alert.StartsAt));
        _insert.Bind(3, endsAtMs);
        _insert.Bind(4, alert.Status.ToText());
        _insert.Bind(5, alert.Name);
        _insert.Bind(6, alert.Severity);
        _json.ResetWrittenCount();
        alert.Labels.WriteJsonUtf8(_json);
        _insert.Bind(7, _json.WrittenSpan);
        _json.ResetWrittenCount();
        alert.Annotations.WriteJsonUtf8(_json);
        _insert.Bind(8, _json.WrittenSpan);
        _insert.Bind(9, alert.GeneratorUrl);
        _insert.Bind(10, context.Receiver);
        _insert.Bind(11, context.GroupKey);
        _insert.Bind(12, context.ExternalUrl);
        _insert.Bind(13, nowMs);
        _insert.Bind(14, receiversJson);
        return _insert.ExecuteScalarInt64() == id;
    }

    /// <summary>
    /// Sets an occurrence's status, end, (when not null) annotations and re-open candidacy: pending with a due time sets it,
    /// pending without one keeps the stored one, not pending clears it. False when the occurrence is gone.
    /// </summary>
    public bool UpdateOccurrence(long id, AlertStatus status, long? endsAtMs, string? annotationsJson, long nowMs, bool reopenPending = false, long? reopenDueMs = null)
    {
        Set(_update, id, status.ToText(), endsAtMs, annotationsJson, nowMs, reopenPending ? 1L : 0L, reopenDueMs);
        return _update.ExecuteNonQuery() == 1;
    }

    /// <summary>The re-open candidates due at <paramref name="nowMs"/>, oldest due first, as alerts rebuilt from their rows.</summary>
    public IReadOnlyList<Pipeline.ReopenCandidate> DueReopens(long nowMs)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            SELECT id, fingerprint, labels, annotations, starts_at_ms, generator_url FROM alert_occurrences
            WHERE reopen_due_ms IS NOT NULL AND reopen_due_ms <= @now
            ORDER BY reopen_due_ms, id
            """;
        command.Parameters.AddWithValue("@now", nowMs);
        command.Transaction = _lookup.Transaction;
        using var reader = command.ExecuteReader();
        var rows = new List<Pipeline.ReopenCandidate>();
        while (reader.Read())
        {
            var alert = new Alert(Fingerprint.FromInt64(reader.GetInt64(1)), AlertStatus.Firing, LabelSet.FromJson(reader.GetString(2)),
                LabelSet.FromJson(reader.GetString(3)), UnixMillis.ToDateTimeOffset(reader.GetInt64(4)), null, reader.GetString(5));
            rows.Add(new Pipeline.ReopenCandidate(reader.GetInt64(0), alert));
        }

        return rows;
    }

    /// <summary>
    /// Resolves an older occurrence that is still marked firing, ending it at <paramref name="endsAtMs"/> (the startsAt
    /// of its successor: a fingerprint has one active alert at a time). Returns what the rollup counted of the row before
    /// (firing); null when it was not firing (or is gone), and nothing changed.
    /// </summary>
    internal StatsFacts? ResolveSuperseded(long id, long endsAtMs, long nowMs)
    {
        Set(_resolveById, id, endsAtMs, nowMs);
        using var reader = _resolveById.ExecuteReader();
        return reader.Read() ? new StatsFacts(reader.GetInt64(0), AlertStatusText.Firing, reader.GetString(1), null) : null;
    }

    /// <summary>What the hourly rollup counts of an occurrence as stored now (null when it is gone): read before a change to it.</summary>
    internal StatsFacts? LoadStatsFacts(long id)
    {
        Set(_loadStatsFacts, id);
        using var reader = _loadStatsFacts.ExecuteReader();
        return reader.Read()
            ? new StatsFacts(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3))
            : null;
    }

    /// <summary>
    /// Fills <paramref name="index"/> with the newest occurrence of every fingerprint (from the identity index alone,
    /// time-ordered) and the older occurrences still firing.
    /// </summary>
    public void LoadIdentities(IdentityIndex index)
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT fingerprint, starts_at_ms, id FROM alert_occurrences INDEXED BY ux_alert_occurrences_identity";
            command.Transaction = _lookup.Transaction;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                index.AddStored(Fingerprint.FromInt64(reader.GetInt64(0)), reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT fingerprint, id FROM alert_occurrences WHERE status = 'firing'";
            command.Transaction = _lookup.Transaction;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var fingerprint = Fingerprint.FromInt64(reader.GetInt64(0));
                var id = reader.GetInt64(1);
                if (index.TryGetLatest(fingerprint, out var latest) && latest.Id != id)
                {
                    index.AddOlderFiring(fingerprint, id);
                }
            }
        }

        index.MarkLoaded();
    }

    /// <summary>Reads the stored occurrences of these fingerprints into <paramref name="index"/> again.</summary>
    public void LoadIdentities(IdentityIndex index, IReadOnlyCollection<Fingerprint> fingerprints)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT fingerprint, starts_at_ms, id, status FROM alert_occurrences WHERE fingerprint = @fingerprint";
        command.Transaction = _lookup.Transaction;
        var parameter = command.Parameters.Add(new SqliteParameter("@fingerprint", null));
        foreach (var fingerprint in fingerprints)
        {
            index.Drop(fingerprint);
            parameter.Value = fingerprint.ToInt64();
            var firing = new List<long>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    index.AddStored(fingerprint, reader.GetInt64(1), reader.GetInt64(2));
                    if (reader.GetString(3) == AlertStatusText.Firing)
                    {
                        firing.Add(reader.GetInt64(2));
                    }
                }
            }

            foreach (var id in firing.Where(id => !index.TryGetLatest(fingerprint, out var latest) || latest.Id != id))
            {
                index.AddOlderFiring(fingerprint, id);
            }
        }
    }

    public void AddEvent(long occurrenceId, string kind, long atMs, object? detail) =>
        AddEventJson(occurrenceId, kind, atMs, detail is null ? null : JsonSerializer.Serialize(detail, HistoryJson.Options));

    /// <summary>Adds an event whose detail is already JSON (one serialization for many alerts).</summary>
    public void AddEventJson(long occurrenceId, string kind, long atMs, string? detailJson)
    {
        _addEvent.Bind(1, occurrenceId);
        _addEvent.Bind(2, atMs);
        _addEvent.Bind(3, kind);
        _addEvent.Bind(4, detailJson);
        _addEvent.Execute();
    }

    /// <summary>Marks an occurrence muted by <paramref name="sourceId"/>, or no longer muted (null).</summary>
    public void SetInhibitedBy(long id, long? sourceId, long nowMs)
    {
        Set(_setInhibitedBy, id, sourceId, nowMs);
        _setInhibitedBy.ExecuteNonQuery();
    }

    /// <summary>Starts (or, for a reopened occurrence, resumes) an escalation ladder.</summary>
    public void StartEscalation(long id, string policy, long firingSinceMs, long? nextDueMs, long nowMs, long? nextReminderMs = null)
    {
        Set(_startEscalation, id, policy, firingSinceMs, nextDueMs, nowMs, nextReminderMs);
        _startEscalation.ExecuteNonQuery();
    }

    /// <summary>When the escalation scheduler should look at the occurrence next; null stops it.</summary>
    public void SetEscalationDue(long id, long? nextDueMs, long nowMs)
    {
        Set(_setEscalationDue, id, nextDueMs, nowMs);
        _setEscalationDue.ExecuteNonQuery();
    }

    /// <summary>Every firing occurrence: the writer keeps them in memory for inhibition decisions.</summary>
    public IReadOnlyList<Pipeline.FiringOccurrence> LoadFiring()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, fingerprint, labels, inhibited_by FROM alert_occurrences WHERE status = 'firing'";
        command.Transaction = _lookup.Transaction;
        using var reader = command.ExecuteReader();
        var rows = new List<Pipeline.FiringOccurrence>();
        while (reader.Read())
        {
            rows.Add(new Pipeline.FiringOccurrence(reader.GetInt64(0), Fingerprint.FromInt64(reader.GetInt64(1)), LabelSet.FromJson(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return rows;
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    public void Dispose()
    {
        _lookup.Dispose();
        _insert.Dispose();
        _update.Dispose();
        _loadById.Dispose();
        _resolveById.Dispose();
        _loadStatsFacts.Dispose();
        _addEvent.Dispose();
        _setInhibitedBy.Dispose();
        _startEscalation.Dispose();
        _setEscalationDue.Dispose();
    }
}

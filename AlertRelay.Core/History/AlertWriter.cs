using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
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
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _resolveSuperseded;
    private readonly SqliteCommand _addEvent;
    private readonly SqliteCommand _setInhibitedBy;
    private readonly SqliteCommand _startEscalation;
    private readonly SqliteCommand _setEscalationDue;
    private readonly SqliteConnection _connection;

    public AlertWriter(SqliteConnection connection)
    {
        _connection = connection;
        _lookup = Command(connection, """
            SELECT (SELECT max(starts_at_ms) FROM alert_occurrences WHERE fingerprint = @fingerprint),
                   o.id, o.status, o.annotations, o.ends_at_ms
            FROM (SELECT 1) LEFT JOIN alert_occurrences o ON o.fingerprint = @fingerprint AND o.starts_at_ms = @starts_at_ms
            """, "@fingerprint", "@starts_at_ms");
        _insert = Command(connection, """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                                           generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms, receivers)
            VALUES (@fingerprint, @starts_at_ms, @ends_at_ms, @status, @alertname, @severity, @labels, @annotations,
                    @generator_url, @receiver, @group_key, @external_url, @now, @now, @receivers)
            RETURNING id
            """, "@fingerprint", "@starts_at_ms", "@ends_at_ms", "@status", "@alertname", "@severity", "@labels", "@annotations",
            "@generator_url", "@receiver", "@group_key", "@external_url", "@now", "@receivers");
        _update = Command(connection, """
            UPDATE alert_occurrences
            SET status = @status, ends_at_ms = @ends_at_ms, annotations = @annotations, updated_at_ms = @now
            WHERE id = @id
            """, "@id", "@status", "@ends_at_ms", "@annotations", "@now");
        _resolveSuperseded = Command(connection, """
            UPDATE alert_occurrences
            SET status = 'resolved', ends_at_ms = @starts_at_ms, updated_at_ms = @now
            WHERE fingerprint = @fingerprint AND starts_at_ms < @starts_at_ms AND status = 'firing'
            RETURNING id
            """, "@fingerprint", "@starts_at_ms", "@now");
        _addEvent = Command(connection,
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@occurrence_id, @at_ms, @kind, @detail)",
            "@occurrence_id", "@at_ms", "@kind", "@detail");
        _setInhibitedBy = Command(connection,
            "UPDATE alert_occurrences SET inhibited_by = @inhibited_by, updated_at_ms = @now WHERE id = @id", "@id", "@inhibited_by", "@now");
        _startEscalation = Command(connection, """
            INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms)
            VALUES (@id, @policy, @firing_since_ms, 0, @next_due_ms, @now)
            ON CONFLICT (occurrence_id) DO UPDATE SET next_due_ms = excluded.next_due_ms, updated_at_ms = excluded.updated_at_ms
            """, "@id", "@policy", "@firing_since_ms", "@next_due_ms", "@now");
        _setEscalationDue = Command(connection,
            "UPDATE escalations SET next_due_ms = @next_due_ms, updated_at_ms = @now WHERE occurrence_id = @id", "@id", "@next_due_ms", "@now");
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
    public SqliteConnection Connection => _connection;

    /// <summary>The transaction the statements run in since the last <see cref="Enlist"/>.</summary>
    public SqliteTransaction Transaction => _lookup.Transaction ?? throw new InvalidOperationException("Enlist the writer in a transaction first");

    /// <summary>Runs the statements inside <paramref name="transaction"/> until the next call.</summary>
    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in new[] { _lookup, _insert, _update, _resolveSuperseded, _addEvent, _setInhibitedBy, _startEscalation, _setEscalationDue })
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>What is stored for the alert's fingerprint: the occurrence with its startsAt, and the newest startsAt.</summary>
    public OccurrenceSnapshot Lookup(Fingerprint fingerprint, long startsAtMs)
    {
        Set(_lookup, fingerprint.ToInt64(), startsAtMs);
        using var reader = _lookup.ExecuteReader();
        reader.Read();
        long? latest = reader.IsDBNull(0) ? null : reader.GetInt64(0);
        if (reader.IsDBNull(1))
        {
            return new OccurrenceSnapshot(null, latest);
        }

        var status = reader.GetString(2) == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved;
        long? endsAtMs = reader.IsDBNull(4) ? null : reader.GetInt64(4);
        return new OccurrenceSnapshot(new StoredOccurrence(reader.GetInt64(1), status, reader.GetString(3), endsAtMs), latest);
    }

    /// <summary>Stores a new occurrence with the receivers the routing tree chose for it.</summary>
    public long InsertOccurrence(Alert alert, AlertContext context, long? endsAtMs, IReadOnlyList<string> receivers, long nowMs)
    {
        Set(_insert,
            alert.Fingerprint.ToInt64(), UnixMillis.From(alert.StartsAt), endsAtMs, alert.Status.ToText(), alert.Name, alert.Severity,
            alert.Labels.ToJson(), alert.Annotations.ToJson(), alert.GeneratorUrl, context.Receiver, context.GroupKey, context.ExternalUrl,
            nowMs, JsonSerializer.Serialize(receivers, HistoryJson.Options));
        return (long)_insert.ExecuteScalar()!;
    }

    public void UpdateOccurrence(long id, AlertStatus status, long? endsAtMs, string annotationsJson, long nowMs)
    {
        Set(_update, id, status.ToText(), endsAtMs, annotationsJson, nowMs);
        _update.ExecuteNonQuery();
    }

    /// <summary>
    /// Resolves older occurrences of a fingerprint that are still marked firing: a fingerprint has one active
    /// alert at a time, so a new startsAt means the earlier one ended (its resolve was never delivered).
    /// </summary>
    public IReadOnlyList<long> ResolveSuperseded(Fingerprint fingerprint, long newStartsAtMs, long nowMs)
    {
        Set(_resolveSuperseded, fingerprint.ToInt64(), newStartsAtMs, nowMs);
        var ids = new List<long>();
        using var reader = _resolveSuperseded.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    public void AddEvent(long occurrenceId, string kind, long atMs, object? detail)
    {
        Set(_addEvent, occurrenceId, atMs, kind, detail is null ? null : JsonSerializer.Serialize(detail, HistoryJson.Options));
        _addEvent.ExecuteNonQuery();
    }

    /// <summary>Marks an occurrence muted by <paramref name="sourceId"/>, or no longer muted (null).</summary>
    public void SetInhibitedBy(long id, long? sourceId, long nowMs)
    {
        Set(_setInhibitedBy, id, sourceId, nowMs);
        _setInhibitedBy.ExecuteNonQuery();
    }

    /// <summary>Starts (or, for a reopened occurrence, resumes) an escalation ladder.</summary>
    public void StartEscalation(long id, string policy, long firingSinceMs, long? nextDueMs, long nowMs)
    {
        Set(_startEscalation, id, policy, firingSinceMs, nextDueMs, nowMs);
        _startEscalation.ExecuteNonQuery();
    }

    /// <summary>When the escalation scheduler should look at the occurrence next; null stops it.</summary>
    public void SetEscalationDue(long id, long? nextDueMs, long nowMs)
    {
        Set(_setEscalationDue, id, nextDueMs, nowMs);
        _setEscalationDue.ExecuteNonQuery();
    }

    /// <summary>Every firing occurrence: the writer keeps them in memory for inhibition decisions.</summary>
    public IEnumerable<(long Id, Fingerprint Fingerprint, LabelSet Labels, long? InhibitedBy)> LoadFiring()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT id, fingerprint, labels, inhibited_by FROM alert_occurrences WHERE status = 'firing'";
        command.Transaction = _lookup.Transaction;
        using var reader = command.ExecuteReader();
        var rows = new List<(long, Fingerprint, LabelSet, long?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), Fingerprint.FromInt64(reader.GetInt64(1)), LabelSet.FromJson(reader.GetString(2)),
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
        _resolveSuperseded.Dispose();
        _addEvent.Dispose();
        _setInhibitedBy.Dispose();
        _startEscalation.Dispose();
        _setEscalationDue.Dispose();
    }
}

/// <summary>Where an alert came from: the Alertmanager receiver, group and instance that sent it.</summary>
public sealed record AlertContext(string Receiver, string GroupKey, string ExternalUrl);

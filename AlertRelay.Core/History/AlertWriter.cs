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

    public AlertWriter(SqliteConnection connection)
    {
        _lookup = Command(connection, """
            SELECT (SELECT max(starts_at_ms) FROM alert_occurrences WHERE fingerprint = @fingerprint),
                   o.id, o.status, o.annotations, o.ends_at_ms
            FROM (SELECT 1) LEFT JOIN alert_occurrences o ON o.fingerprint = @fingerprint AND o.starts_at_ms = @starts_at_ms
            """, "@fingerprint", "@starts_at_ms");
        _insert = Command(connection, """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                                           generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms)
            VALUES (@fingerprint, @starts_at_ms, @ends_at_ms, @status, @alertname, @severity, @labels, @annotations,
                    @generator_url, @receiver, @group_key, @external_url, @now, @now)
            RETURNING id
            """, "@fingerprint", "@starts_at_ms", "@ends_at_ms", "@status", "@alertname", "@severity", "@labels", "@annotations",
            "@generator_url", "@receiver", "@group_key", "@external_url", "@now");
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

    /// <summary>Runs the statements inside <paramref name="transaction"/> until the next call.</summary>
    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in new[] { _lookup, _insert, _update, _resolveSuperseded, _addEvent })
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

    public long InsertOccurrence(Alert alert, AlertContext context, long? endsAtMs, long nowMs)
    {
        Set(_insert,
            alert.Fingerprint.ToInt64(), UnixMillis.From(alert.StartsAt), endsAtMs, alert.Status.ToText(), alert.Name, alert.Severity,
            alert.Labels.ToJson(), alert.Annotations.ToJson(), alert.GeneratorUrl, context.Receiver, context.GroupKey, context.ExternalUrl,
            nowMs);
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
    }
}

/// <summary>Where an alert came from: the Alertmanager receiver, group and instance that sent it.</summary>
public sealed record AlertContext(string Receiver, string GroupKey, string ExternalUrl);

using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Dedup;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>The statements that write alert occurrences and their events, inside the caller's transaction.</summary>
public sealed class AlertWriter(SqliteConnection connection, SqliteTransaction transaction)
{
    /// <summary>What is stored for the alert's fingerprint: the occurrence with its startsAt, and the newest startsAt.</summary>
    public OccurrenceSnapshot Lookup(Fingerprint fingerprint, long startsAtMs)
    {
        var row = connection.QuerySingle<LookupRow>(
            """
            SELECT (SELECT max(starts_at_ms) FROM alert_occurrences WHERE fingerprint = @Fingerprint) AS LatestStartsAtMs,
                   o.id AS Id, o.status AS Status, o.annotations AS Annotations, o.ends_at_ms AS EndsAtMs
            FROM (SELECT 1) LEFT JOIN alert_occurrences o ON o.fingerprint = @Fingerprint AND o.starts_at_ms = @StartsAtMs
            """,
            new { Fingerprint = fingerprint.ToInt64(), StartsAtMs = startsAtMs },
            transaction);

        var existing = row.Id is { } id
            ? new StoredOccurrence(id, row.Status == AlertStatusText.Firing ? AlertStatus.Firing : AlertStatus.Resolved, row.Annotations!, row.EndsAtMs)
            : null;
        return new OccurrenceSnapshot(existing, row.LatestStartsAtMs);
    }

    public long InsertOccurrence(Alert alert, AlertContext context, long? endsAtMs, long nowMs) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO alert_occurrences (fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                                           generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms)
            VALUES (@Fingerprint, @StartsAtMs, @EndsAtMs, @Status, @Alertname, @Severity, @Labels, @Annotations,
                    @GeneratorUrl, @Receiver, @GroupKey, @ExternalUrl, @Now, @Now)
            RETURNING id
            """,
            new
            {
                Fingerprint = alert.Fingerprint.ToInt64(),
                StartsAtMs = UnixMillis.From(alert.StartsAt),
                EndsAtMs = endsAtMs,
                Status = alert.Status.ToText(),
                Alertname = alert.Name,
                alert.Severity,
                Labels = alert.Labels.ToJson(),
                Annotations = alert.Annotations.ToJson(),
                alert.GeneratorUrl,
                context.Receiver,
                context.GroupKey,
                context.ExternalUrl,
                Now = nowMs,
            },
            transaction);

    public void UpdateOccurrence(long id, AlertStatus status, long? endsAtMs, string annotationsJson, long nowMs) =>
        connection.Execute(
            """
            UPDATE alert_occurrences
            SET status = @Status, ends_at_ms = @EndsAtMs, annotations = @Annotations, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, Status = status.ToText(), EndsAtMs = endsAtMs, Annotations = annotationsJson, Now = nowMs },
            transaction);

    /// <summary>
    /// Resolves older occurrences of a fingerprint that are still marked firing: a fingerprint has one active
    /// alert at a time, so a new startsAt means the earlier one ended (its resolve was never delivered).
    /// </summary>
    public IReadOnlyList<long> ResolveSuperseded(Fingerprint fingerprint, long newStartsAtMs, long nowMs)
    {
        var ids = connection.Query<long>(
            """
            UPDATE alert_occurrences
            SET status = 'resolved', ends_at_ms = @StartsAtMs, updated_at_ms = @Now
            WHERE fingerprint = @Fingerprint AND starts_at_ms < @StartsAtMs AND status = 'firing'
            RETURNING id
            """,
            new { Fingerprint = fingerprint.ToInt64(), StartsAtMs = newStartsAtMs, Now = nowMs },
            transaction).AsList();
        return ids;
    }

    public void AddEvent(long occurrenceId, string kind, long atMs, object? detail) =>
        connection.Execute(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@OccurrenceId, @AtMs, @Kind, @Detail)",
            new { OccurrenceId = occurrenceId, AtMs = atMs, Kind = kind, Detail = detail is null ? null : JsonSerializer.Serialize(detail, HistoryJson.Options) },
            transaction);

    private sealed class LookupRow
    {
        public long? LatestStartsAtMs { get; set; }

        public long? Id { get; set; }

        public string? Status { get; set; }

        public string? Annotations { get; set; }

        public long? EndsAtMs { get; set; }
    }
}

/// <summary>Where an alert came from: the Alertmanager receiver, group and instance that sent it.</summary>
public sealed record AlertContext(string Receiver, string GroupKey, string ExternalUrl);

using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>Appends an event to an occurrence's timeline, inside the caller's transaction (the ingest writer has its own prepared copy).</summary>
public static class EventLog
{
    public static Task AddAsync(
        SqliteConnection connection, SqliteTransaction transaction, long occurrenceId, string kind, long atMs, object detail,
        CancellationToken cancellationToken) =>
        AddAsync(connection, transaction, new Pipeline.TimelineEvent(occurrenceId, kind, JsonSerializer.Serialize(detail, HistoryJson.Options)), atMs,
            cancellationToken);

    /// <summary>Appends an event whose detail is already JSON.</summary>
    public static Task AddAsync(
        SqliteConnection connection, SqliteTransaction transaction, Pipeline.TimelineEvent e, long atMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@Id, @AtMs, @Kind, @Detail)",
            new { Id = e.OccurrenceId, AtMs = atMs, e.Kind, Detail = e.DetailJson },
            transaction, cancellationToken: cancellationToken));
}

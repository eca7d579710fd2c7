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
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@Id, @AtMs, @Kind, @Detail)",
            new { Id = occurrenceId, AtMs = atMs, Kind = kind, Detail = JsonSerializer.Serialize(detail, HistoryJson.Options) },
            transaction, cancellationToken: cancellationToken));
}

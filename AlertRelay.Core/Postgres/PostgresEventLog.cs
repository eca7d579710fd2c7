using AlertRelay.Core.Pipeline;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>Appends an event to an occurrence's timeline inside the caller's transaction, as <c>History.EventLog</c> does on SQLite.</summary>
internal static class PostgresEventLog
{
    /// <summary>Appends an event whose detail is already JSON (kept as written: <c>alert_events.detail</c> is text).</summary>
    public static Task AddAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TimelineEvent e, long atMs, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@Id, @AtMs, @Kind, @Detail)",
            new { Id = e.OccurrenceId, AtMs = atMs, e.Kind, Detail = e.DetailJson },
            transaction, cancellationToken: cancellationToken));
}

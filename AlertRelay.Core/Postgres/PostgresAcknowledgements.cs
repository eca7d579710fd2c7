using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// Acknowledges alert occurrences on PostgreSQL (stopping their escalation) and takes acknowledgements back, as
/// <see cref="AcknowledgementStore"/> does on SQLite. Replicas acknowledging at once take turns on the occurrence's row: the
/// last one's acknowledgement is the one kept, each recorded in the timeline.
/// </summary>
public sealed class PostgresAcknowledgements(PostgresDatabase database) : IAcknowledgements
{
    /// <summary>Records who acknowledged a firing occurrence; acknowledging again replaces the previous acknowledgement.</summary>
    public async Task<AckOutcome> AcknowledgeAsync(long id, string by, string? comment, DateTimeOffset? expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var nowMs = UnixMillis.From(now);
        long? expiresMs = expiresAt is { } e ? UnixMillis.From(e) : null;
        // Conditional: the status is checked on the row as it is when the update locks it, not as an earlier read saw it.
        var acknowledged = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = @By, ack_comment = @Comment, acked_at_ms = @Now, ack_expires_at_ms = @ExpiresMs, updated_at_ms = @Now
            WHERE id = @Id AND status = 'firing'
            RETURNING id
            """,
            new { Id = id, By = by, Comment = comment, Now = nowMs, ExpiresMs = expiresMs }, transaction, cancellationToken: cancellationToken));
        if (acknowledged is null)
        {
            var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
            return status is null ? AckOutcome.NotFound : AckOutcome.AlreadyResolved;
        }

        await AddEventAsync(connection, transaction, id, EventKinds.Acknowledged, nowMs,
            new { by, comment, expiresAt = expiresAt is { } x ? Rfc3339.Format(x) : null }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AckOutcome.Done;
    }

    /// <summary>Removes an acknowledgement so that escalation resumes.</summary>
    public async Task<AckOutcome> UnacknowledgeAsync(long id, string? by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR UPDATE: a replica taking the same acknowledgement back at once waits here, then finds it gone.
        var occurrence = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, acked_by AS AckedBy FROM alert_occurrences WHERE id = @Id FOR UPDATE", new { Id = id }, transaction,
            cancellationToken: cancellationToken));
        if (occurrence is null)
        {
            return AckOutcome.NotFound;
        }

        if (occurrence.AckedBy is null)
        {
            return AckOutcome.NotAcknowledged;
        }

        var nowMs = UnixMillis.From(now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = NULL, ack_comment = NULL, acked_at_ms = NULL, ack_expires_at_ms = NULL, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        // Escalation resumes: the scheduler looks at the ladder on its next pass and runs what is due.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE escalations SET next_due_ms = @Now, updated_at_ms = @Now WHERE occurrence_id = @Id",
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        await AddEventAsync(connection, transaction, id, EventKinds.Unacknowledged, nowMs,
            new { by, previouslyAckedBy = occurrence.AckedBy }, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return AckOutcome.Done;
    }

    private static Task AddEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long occurrenceId, string kind, long atMs, object detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@Id, @AtMs, @Kind, @Detail)",
            new { Id = occurrenceId, AtMs = atMs, Kind = kind, Detail = JsonSerializer.Serialize(detail, HistoryJson.Options) },
            transaction, cancellationToken: cancellationToken));

    private sealed class AckRow
    {
        public long Id { get; set; }

        public string? AckedBy { get; set; }
    }
}

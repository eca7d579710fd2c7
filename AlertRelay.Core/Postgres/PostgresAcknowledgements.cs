using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// Acknowledges alert occurrences on PostgreSQL (stopping their escalation) and takes acknowledgements back, as
/// <see cref="AcknowledgementStore"/> does on SQLite. Replicas acknowledging at once take turns on the occurrence's row.
/// </summary>
public sealed class PostgresAcknowledgements(PostgresDatabase database) : IAcknowledgements
{
    public async Task<AckOutcome> AcknowledgeAsync(
        long id, Actor by, string? comment, DateTimeOffset? expiresAt, bool replace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var nowMs = UnixMillis.From(now);
        // FOR UPDATE: replicas acknowledging at once take turns; the second sees the first's acknowledgement as it committed.
        var row = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, status AS Status, acked_by AS AckedBy, ack_expires_at_ms AS AckExpiresAtMs FROM alert_occurrences WHERE id = @Id FOR UPDATE",
            new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (AckRow.RefuseAcknowledge(row, replace, nowMs) is { } refused)
        {
            return refused;
        }

        long? expiresMs = expiresAt is { } e ? UnixMillis.From(e) : null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = @By, ack_comment = @Comment, acked_at_ms = @Now, ack_expires_at_ms = @ExpiresMs, acked_via = @Via,
                acked_by_id = @ById, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, By = PostgresText.Storable(by.Name), Comment = PostgresText.StorableOrNull(comment), Now = nowMs, ExpiresMs = expiresMs, Via = by.Source, ById = PostgresText.StorableOrNull(by.Id) },
            transaction, cancellationToken: cancellationToken));
        await AddEventAsync(connection, transaction, id, EventKinds.Acknowledged, nowMs,
            AckEvents.Acknowledged(by, comment, expiresAt), cancellationToken);
        QueueUpdates(connection, transaction, id, AckEvents.AcknowledgedUpdate, nowMs);
        await transaction.CommitAsync(cancellationToken);
        return AckOutcome.Done;
    }

    /// <summary>Removes an acknowledgement so that escalation resumes.</summary>
    public async Task<AckOutcome> UnacknowledgeAsync(long id, Actor? by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR UPDATE: a replica taking the same acknowledgement back at once waits here, then finds it gone.
        var occurrence = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, status AS Status, acked_by AS AckedBy FROM alert_occurrences WHERE id = @Id FOR UPDATE", new { Id = id }, transaction,
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
            SET acked_by = NULL, ack_comment = NULL, acked_at_ms = NULL, ack_expires_at_ms = NULL, acked_via = NULL, acked_by_id = NULL,
                updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        // Escalation resumes: the scheduler looks at the ladder on its next pass and runs what is due; reminders start again from now.
        await connection.ExecuteAsync(new CommandDefinition(
            LadderSql.Resume,
            new { Id = id, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        await AddEventAsync(connection, transaction, id, EventKinds.Unacknowledged, nowMs,
            AckEvents.Unacknowledged(by, occurrence.AckedBy), cancellationToken);
        if (occurrence.Status == AlertStatusText.Firing)
        {
            QueueUpdates(connection, transaction, id, AckEvents.UnacknowledgedUpdate, nowMs);
        }

        await transaction.CommitAsync(cancellationToken);
        return AckOutcome.Done;
    }

    /// <summary>Queues an update for each integration that announced the occurrence and follows this kind of update (<see cref="Integrations.FollowsUpdate"/>).</summary>
    internal static void QueueUpdates(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string detail, long nowMs)
    {
        foreach (var target in PostgresOutboxRows.NotifiedTargets(connection, transaction, id).Where(t => Integrations.FollowsUpdate(t.Integration, detail)))
        {
            PostgresOutboxRows.Enqueue(connection, transaction, target, NotificationKind.Update, [id], detail, nowMs);
        }
    }

    private static Task AddEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long occurrenceId, string kind, long atMs, object detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) VALUES (@Id, @AtMs, @Kind, @Detail)",
            new { Id = occurrenceId, AtMs = atMs, Kind = kind, Detail = JsonSerializer.Serialize(detail, HistoryJson.Options) },
            transaction, cancellationToken: cancellationToken));
}

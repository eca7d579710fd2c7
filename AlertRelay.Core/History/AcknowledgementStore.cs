using AlertRelay.Core.Alerts;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Oncall;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>Acknowledges alert occurrences (stopping their escalation) and takes acknowledgements back.</summary>
public sealed class AcknowledgementStore(HistoryDatabase database) : IAcknowledgements
{
    public async Task<AckOutcome> AcknowledgeAsync(
        long id, Actor by, string? comment, DateTimeOffset? expiresAt, bool replace, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var row = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, status AS Status, acked_by AS AckedBy, ack_expires_at_ms AS AckExpiresAtMs FROM alert_occurrences WHERE id = @Id",
            new { Id = id }, transaction, cancellationToken: cancellationToken));
        var nowMs = UnixMillis.From(now);
        var refused = AckRow.RefuseAcknowledge(row, replace, nowMs);
        if (refused is { } outcome)
        {
            return outcome;
        }

        long? expiresMs = expiresAt is { } e ? UnixMillis.From(e) : null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET acked_by = @By, ack_comment = @Comment, acked_at_ms = @Now, ack_expires_at_ms = @ExpiresMs, acked_via = @Via,
                acked_by_id = @ById, updated_at_ms = @Now
            WHERE id = @Id
            """,
            new { Id = id, By = by.Name, Comment = comment, Now = nowMs, ExpiresMs = expiresMs, Via = by.Source, ById = by.Id },
            transaction, cancellationToken: cancellationToken));
        await EventLog.AddAsync(connection, transaction, id, EventKinds.Acknowledged, nowMs,
            AckEvents.Acknowledged(by, comment, expiresAt), cancellationToken);
        QueueUpdates(connection, transaction, id, AckEvents.AcknowledgedUpdate, nowMs);
        transaction.Commit();
        return AckOutcome.Done;
    }

    /// <summary>Removes an acknowledgement so that escalation resumes.</summary>
    public async Task<AckOutcome> UnacknowledgeAsync(long id, Actor? by, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var row = await connection.QuerySingleOrDefaultAsync<AckRow>(new CommandDefinition(
            "SELECT id AS Id, status AS Status, acked_by AS AckedBy FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return AckOutcome.NotFound;
        }

        if (row.AckedBy is null)
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
        await EventLog.AddAsync(connection, transaction, id, EventKinds.Unacknowledged, nowMs,
            AckEvents.Unacknowledged(by, row.AckedBy), cancellationToken);
        if (row.Status == AlertStatusText.Firing)
        {
            QueueUpdates(connection, transaction, id, AckEvents.UnacknowledgedUpdate, nowMs);
        }

        transaction.Commit();
        return AckOutcome.Done;
    }

    /// <summary>Queues an update for each integration that announced the occurrence and follows this kind of update (<see cref="Integrations.FollowsUpdate"/>).</summary>
    internal static void QueueUpdates(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, long id, string detail, long nowMs)
    {
        foreach (var target in OutboxRows.NotifiedTargets(connection, transaction, id).Where(t => Integrations.FollowsUpdate(t.Integration, detail)))
        {
            OutboxRows.Enqueue(connection, transaction, target, NotificationKind.Update, [id], detail, nowMs);
        }
    }
}

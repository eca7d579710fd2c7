using AlertRelay.Core.Alerts;
using AlertRelay.Core.Oncall;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>
/// The occurrences' Alertmanager silences on SQLite (see <see cref="ISilenceStore"/>). Each change is one immediate transaction:
/// SQLite's single writer makes two claims at once take turns, and the second sees the first's claim.
/// </summary>
public sealed class SilenceStore(HistoryDatabase database) : ISilenceStore
{
    public async Task<SilenceClaim> ClaimAsync(long occurrenceId, string claim, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var row = await ReadAsync(connection, transaction, occurrenceId, cancellationToken);
        var nowMs = UnixMillis.From(now);
        var outcome = SilenceRow.Decide(row, nowMs);
        if (outcome != SilenceClaimOutcome.Claimed)
        {
            return row?.Claim(outcome) ?? new SilenceClaim(outcome, LabelSet.Empty);
        }

        if (row!.SilenceId is { } ended)
        {
            // A silence recorded earlier ran out before the watcher noticed: its end goes on the timeline before the new one.
            await EndAsync(connection, transaction, row, ended, SilenceEnd.RanOut, nowMs, cancellationToken);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_occurrences SET silence_id = NULL, silenced_by = @Claim, silenced_at_ms = @Now, silence_ends_at_ms = @Until WHERE id = @Id",
            new { Id = occurrenceId, Claim = claim, Now = nowMs, Until = UnixMillis.From(now + hold) }, transaction, cancellationToken: cancellationToken));
        transaction.Commit();
        return row.Claim(outcome);
    }

    public async Task<bool> RecordAsync(
        long occurrenceId, string claim, ActiveSilence silence, Actor by, string comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var nowMs = UnixMillis.From(now);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET silence_id = @SilenceId, silenced_by = @By, silenced_at_ms = @Now, silence_ends_at_ms = @Ends, updated_at_ms = @Now
            WHERE id = @Id AND silence_id IS NULL AND silenced_by = @Claim
            """,
            new { Id = occurrenceId, Claim = claim, SilenceId = silence.Id, By = by.Name, Now = nowMs, Ends = UnixMillis.From(silence.EndsAt) },
            transaction, cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return false;
        }

        await EventLog.AddAsync(connection, transaction, occurrenceId, EventKinds.Silenced, nowMs, SilenceEvents.Silenced(silence, by, comment), cancellationToken);
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT status FROM alert_occurrences WHERE id = @Id", new { Id = occurrenceId }, transaction, cancellationToken: cancellationToken));
        if (status == AlertStatusText.Firing)
        {
            AcknowledgementStore.QueueUpdates(connection, transaction, occurrenceId, SilenceEvents.SilencedUpdate, nowMs);
        }

        transaction.Commit();
        return true;
    }

    public async Task ReleaseAsync(long occurrenceId, string claim, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences SET silenced_by = NULL, silenced_at_ms = NULL, silence_ends_at_ms = NULL
            WHERE id = @Id AND silence_id IS NULL AND silenced_by = @Claim
            """,
            new { Id = occurrenceId, Claim = claim }, cancellationToken: cancellationToken));
    }

    public async Task<SilenceLookup> FindAsync(long occurrenceId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var row = await connection.QuerySingleOrDefaultAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {SilenceRow.SqliteColumns} FROM alert_occurrences WHERE id = @Id", new { Id = occurrenceId }, cancellationToken: cancellationToken));
        return new SilenceLookup(row is not null, row?.Silence);
    }

    public async Task<bool> ClearAsync(long occurrenceId, string silenceId, SilenceEnd end, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction(deferred: false);
        var row = await ReadAsync(connection, transaction, occurrenceId, cancellationToken);
        if (row?.SilenceId != silenceId)
        {
            return false;
        }

        var nowMs = UnixMillis.From(now);
        await EndAsync(connection, transaction, row, silenceId, end, nowMs, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_occurrences SET updated_at_ms = @Now WHERE id = @Id", new { Id = occurrenceId, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        transaction.Commit();
        return true;
    }

    public async Task<IReadOnlyList<SilencedOccurrence>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var rows = await connection.QueryAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {SilenceRow.SqliteColumns} FROM alert_occurrences WHERE silence_id IS NOT NULL ORDER BY silence_ends_at_ms, id",
            cancellationToken: cancellationToken));
        return rows.Select(r => new SilencedOccurrence(r.Id, r.Silence!)).ToList();
    }

    private static Task<SilenceRow?> ReadAsync(SqliteConnection connection, SqliteTransaction transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {SilenceRow.SqliteColumns} FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Empties the slot, records the end, and queues the Slack updates of a firing occurrence.</summary>
    private static async Task EndAsync(
        SqliteConnection connection, SqliteTransaction transaction, SilenceRow row, string silenceId, SilenceEnd end, long nowMs, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_occurrences SET silence_id = NULL, silenced_by = NULL, silenced_at_ms = NULL, silence_ends_at_ms = NULL WHERE id = @Id",
            new { row.Id }, transaction, cancellationToken: cancellationToken));
        await EventLog.AddAsync(connection, transaction, row.Id, EventKinds.Unsilenced, nowMs, SilenceEvents.Unsilenced(silenceId, end), cancellationToken);
        if (row.Status == AlertStatusText.Firing)
        {
            AcknowledgementStore.QueueUpdates(connection, transaction, row.Id, SilenceEvents.UnsilencedUpdate, nowMs);
        }
    }
}

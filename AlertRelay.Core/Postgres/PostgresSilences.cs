using System.Text.Json;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using AlertRelay.Core.Pipeline;
using Dapper;
using Npgsql;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The occurrences' Alertmanager silences on PostgreSQL, as <see cref="SilenceStore"/> does on SQLite. Replicas claiming the same
/// slot at once take turns on the occurrence's row (<c>FOR UPDATE</c>): the second sees the first's claim as it committed.
/// </summary>
public sealed class PostgresSilences(PostgresDatabase database) : ISilenceStore
{
    private const string Columns =
        "id AS Id, status AS Status, coalesce(labels_exact, labels::text) AS Labels, silence_id AS SilenceId, silenced_by AS SilencedBy, silence_ends_at_ms AS SilenceEndsAtMs";

    public async Task<SilenceClaim> ClaimAsync(long occurrenceId, string claim, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await LockAsync(connection, transaction, occurrenceId, cancellationToken);
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
        await transaction.CommitAsync(cancellationToken);
        return row.Claim(outcome);
    }

    public async Task<bool> RecordAsync(
        long occurrenceId, string claim, ActiveSilence silence, Actor by, string comment, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var nowMs = UnixMillis.From(now);
        var status = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            """
            UPDATE alert_occurrences
            SET silence_id = @SilenceId, silenced_by = @By, silenced_at_ms = @Now, silence_ends_at_ms = @Ends, updated_at_ms = @Now
            WHERE id = @Id AND silence_id IS NULL AND silenced_by = @Claim
            RETURNING status
            """,
            new
            {
                Id = occurrenceId, Claim = claim, SilenceId = PostgresText.Storable(silence.Id), By = PostgresText.Storable(by.Name), Now = nowMs,
                Ends = UnixMillis.From(silence.EndsAt),
            },
            transaction, cancellationToken: cancellationToken));
        if (status is null)
        {
            return false;
        }

        await AddEventAsync(connection, transaction, occurrenceId, EventKinds.Silenced, nowMs, SilenceEvents.Silenced(silence, by, comment), cancellationToken);
        if (status == AlertStatusText.Firing)
        {
            PostgresAcknowledgements.QueueUpdates(connection, transaction, occurrenceId, SilenceEvents.SilencedUpdate, nowMs);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task ReleaseAsync(long occurrenceId, string claim, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE alert_occurrences SET silenced_by = NULL, silenced_at_ms = NULL, silence_ends_at_ms = NULL
            WHERE id = @Id AND silence_id IS NULL AND silenced_by = @Claim
            """,
            new { Id = occurrenceId, Claim = claim }, cancellationToken: cancellationToken));
    }

    public async Task<SilenceLookup> FindAsync(long occurrenceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE id = @Id", new { Id = occurrenceId }, cancellationToken: cancellationToken));
        return new SilenceLookup(row is not null, row?.Silence);
    }

    public async Task<bool> ClearAsync(long occurrenceId, string silenceId, SilenceEnd end, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await LockAsync(connection, transaction, occurrenceId, cancellationToken);
        if (row?.SilenceId is null || row.SilenceId != PostgresText.Storable(silenceId))
        {
            return false;
        }

        var nowMs = UnixMillis.From(now);
        await EndAsync(connection, transaction, row, row.SilenceId, end, nowMs, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_occurrences SET updated_at_ms = @Now WHERE id = @Id", new { Id = occurrenceId, Now = nowMs }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<SilencedOccurrence>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE silence_id IS NOT NULL ORDER BY silence_ends_at_ms, id", cancellationToken: cancellationToken));
        return rows.Select(r => new SilencedOccurrence(r.Id, r.Silence!)).ToList();
    }

    // FOR UPDATE: replicas changing the same slot at once take turns.
    private static Task<SilenceRow?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SilenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE id = @Id FOR UPDATE", new { Id = id }, transaction, cancellationToken: cancellationToken));

    /// <summary>Empties the slot, records the end, and queues the Slack updates of a firing occurrence.</summary>
    private static async Task EndAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SilenceRow row, string silenceId, SilenceEnd end, long nowMs, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE alert_occurrences SET silence_id = NULL, silenced_by = NULL, silenced_at_ms = NULL, silence_ends_at_ms = NULL WHERE id = @Id",
            new { row.Id }, transaction, cancellationToken: cancellationToken));
        await AddEventAsync(connection, transaction, row.Id, EventKinds.Unsilenced, nowMs, SilenceEvents.Unsilenced(silenceId, end), cancellationToken);
        if (row.Status == AlertStatusText.Firing)
        {
            PostgresAcknowledgements.QueueUpdates(connection, transaction, row.Id, SilenceEvents.UnsilencedUpdate, nowMs);
        }
    }

    private static Task AddEventAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long occurrenceId, string kind, long atMs, object detail, CancellationToken cancellationToken) =>
        PostgresEventLog.AddAsync(connection, transaction, new TimelineEvent(occurrenceId, kind, JsonSerializer.Serialize(detail, HistoryJson.Options)), atMs, cancellationToken);
}

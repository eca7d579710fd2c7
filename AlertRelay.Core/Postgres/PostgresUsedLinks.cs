using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using AlertRelay.Core.Oncall;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// The used links (<see cref="IUsedLinks"/>) on PostgreSQL, as <see cref="UsedLinkStore"/> on SQLite: replicas inserting the same
/// token at once wait on its primary key, and all but the first find the conflict.
/// </summary>
public sealed class PostgresUsedLinks(PostgresDatabase database) : IUsedLinks
{
    public async Task<LinkUse> TryUseAsync(
        string tokenHash, long occurrenceId, string action, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = UnixMillis.From(now);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM used_links WHERE expires_at_ms <= @Now", new { Now = nowMs }, transaction, cancellationToken: cancellationToken));
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO used_links (token_hash, occurrence_id, action, used_at_ms, expires_at_ms)
            SELECT @TokenHash, @OccurrenceId, @Action, @Now, @ExpiresMs
            WHERE EXISTS (SELECT 1 FROM alert_occurrences WHERE id = @OccurrenceId)
            ON CONFLICT (token_hash) DO NOTHING
            """,
            new { TokenHash = tokenHash, OccurrenceId = occurrenceId, Action = action, Now = nowMs, ExpiresMs = UnixMillis.From(expiresAt) },
            transaction, cancellationToken: cancellationToken));
        var outcome = inserted == 1
            ? LinkUse.First
            : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM used_links WHERE token_hash = @TokenHash", new { TokenHash = tokenHash }, transaction, cancellationToken: cancellationToken)) > 0
                ? LinkUse.AlreadyUsed
                : LinkUse.NoOccurrence;
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    public async Task<bool> IsUsedAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM used_links WHERE token_hash = @TokenHash", new { TokenHash = tokenHash }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task ReleaseAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM used_links WHERE token_hash = @TokenHash", new { TokenHash = tokenHash }, cancellationToken: cancellationToken));
    }

    public async Task<LinkPageState?> PageStateAsync(long occurrenceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<LinkPageRow>(new CommandDefinition(
            LinkPageRow.Select, new { Id = occurrenceId }, cancellationToken: cancellationToken));
        return row?.ToState();
    }
}

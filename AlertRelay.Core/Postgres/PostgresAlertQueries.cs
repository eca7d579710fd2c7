using System.Data;
using System.Globalization;
using System.Text;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.History;
using Dapper;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// Reads alert occurrences, their timelines and statistics from the PostgreSQL history, with exactly the results of the SQLite
/// <see cref="AlertQueries"/>. Equality matchers run in SQL; regex matchers run in C# (<see cref="Matcher.Matches"/>: PostgreSQL's
/// regexes are POSIX ARE, not Alertmanager's), over keyset-paged chunks of the other filters' result for lists, and over the
/// (status, severity, label values) groups for statistics.
/// </summary>
public sealed partial class PostgresAlertQueries(PostgresDatabase database) : IAlertQueries
{
    private const string Columns = """
        id AS Id, fingerprint AS Fingerprint, status AS Status, coalesce(labels_exact, labels::text) AS Labels, coalesce(annotations_exact, annotations::text) AS Annotations,
        starts_at_ms AS StartsAtMs, ends_at_ms AS EndsAtMs, generator_url AS GeneratorUrl, receiver AS Receiver,
        group_key AS GroupKey, external_url AS ExternalUrl, received_at_ms AS ReceivedAtMs, updated_at_ms AS UpdatedAtMs,
        severity AS Severity, receivers::text AS Receivers, inhibited_by AS InhibitedBy, acked_by AS AckedBy, ack_comment AS AckComment,
        acked_at_ms AS AckedAtMs, ack_expires_at_ms AS AckExpiresAtMs,
        silence_id AS SilenceId, silenced_by AS SilencedBy, silence_ends_at_ms AS SilenceEndsAtMs
        """;

    /// <summary>The most rows one chunk of a regex-filtered list reads; chunks start at the page size and double up to this.</summary>
    private const int MaxChunk = 8192;

    public async Task<AlertPage> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, AlertQuery.MaxLimit);
        var regexes = RegexMatchers.Of(query.Matchers);
        await using var connection = await database.OpenAsync(cancellationToken);
        if (regexes.IsEmpty)
        {
            var (sql, parameters) = ListCommand(query, Columns, query.After, limit + 1, regexes);
            var rows = (await connection.QueryAsync<OccurrenceRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
            return Page(rows, limit);
        }

        // The scan and the read of the page's rows see one snapshot.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var matched = new List<(long Id, long StartsAtMs)>();
        var after = query.After;
        var chunk = limit + 1;
        while (matched.Count <= limit)
        {
            var (sql, parameters) = ListCommand(query, "id AS Id, starts_at_ms AS StartsAtMs, ARRAY[" + regexes.ValuesSql + "] AS LabelValues", after, chunk, regexes);
            var rows = (await connection.QueryAsync<ScanRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).AsList();
            matched.AddRange(rows.Where(r => regexes.Match(r.LabelValues)).Select(r => (r.Id, r.StartsAtMs)));
            if (rows.Count < chunk)
            {
                break;
            }

            after = new AlertCursor(rows[^1].StartsAtMs, rows[^1].Id);
            chunk = Math.Min(chunk * 2, MaxChunk);
        }

        var ids = matched.Take(limit + 1).Select(m => m.Id).ToArray();
        var page = (await connection.QueryAsync<OccurrenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE id = ANY(@Ids) ORDER BY starts_at_ms DESC, id DESC",
            new { Ids = ids }, transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return Page(page, limit);
    }

    private static AlertPage Page(List<OccurrenceRow> rows, int limit)
    {
        var items = rows.Take(limit).Select(r => r.ToRecord(PostgresText.Storable)).ToList();
        AlertCursor? next = rows.Count > limit ? new AlertCursor(rows[limit - 1].StartsAtMs, rows[limit - 1].Id) : null;
        return new AlertPage(items, next);
    }

    /// <summary>The SQL of a list page without regex matchers (one row more than <paramref name="limit"/>, to know whether another page follows).</summary>
    internal static (string Sql, DynamicParameters Parameters) ListCommand(AlertQuery query, int limit) =>
        ListCommand(query, Columns, query.After, limit + 1, RegexMatchers.Of([]));

    /// <summary>
    /// The SQL of a list page, or of one chunk of a regex-filtered list: <paramref name="take"/> rows of <paramref name="select"/>,
    /// newest first, after <paramref name="after"/>, with every filter but the regex matchers.
    /// </summary>
    internal static (string Sql, DynamicParameters Parameters) ListCommand(
        AlertQuery query, string select, AlertCursor? after, int take, RegexMatchers regexes)
    {
        var parameters = new DynamicParameters();
        var where = new StringBuilder("WHERE 1 = 1");
        AppendFilters(query, where, parameters);
        regexes.AddParameters(parameters);
        if (after is { } cursor)
        {
            where.Append(" AND (starts_at_ms < @AfterStartsAtMs OR (starts_at_ms = @AfterStartsAtMs AND id < @AfterId))");
            parameters.Add("AfterStartsAtMs", cursor.StartsAtMs);
            parameters.Add("AfterId", cursor.Id);
        }

        parameters.Add("Take", take);
        return ($"SELECT {select} FROM alert_occurrences {where} ORDER BY starts_at_ms DESC, id DESC LIMIT @Take", parameters);
    }

    public async Task<(OccurrenceRecord Alert, IReadOnlyList<AlertEvent> Events)?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<OccurrenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE id = @Id", new { Id = id }, transaction, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var events = await connection.QueryAsync<(long Id, string Kind, long AtMs, string? Detail)>(new CommandDefinition(
            "SELECT id, kind, at_ms, detail FROM alert_events WHERE occurrence_id = @Id ORDER BY id",
            new { Id = id }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (row.ToRecord(PostgresText.Storable), events.Select(e => new AlertEvent(e.Id, e.Kind, UnixMillis.ToDateTimeOffset(e.AtMs), e.Detail)).ToList());
    }

    public async Task<AlertStats> StatsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        if (StatsRollup.CanAnswer(query))
        {
            var (sql, rollupParameters) = RollupStatsCommand(query);
            await using var reader = await database.OpenAsync(cancellationToken);
            return AlertStatsRow.Tally((await reader.QueryAsync<AlertStatsRow>(new CommandDefinition(
                sql, rollupParameters, cancellationToken: cancellationToken))).AsList());
        }

        return await ScanStatsAsync(query, cancellationToken);
    }

    /// <summary>The statistics counted from the occurrences themselves: any filter (and what the rollup is checked against).</summary>
    internal async Task<AlertStats> ScanStatsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters();
        var where = new StringBuilder("WHERE 1 = 1");
        AppendFilters(query, where, parameters);
        var regexes = RegexMatchers.Of(query.Matchers);
        regexes.AddParameters(parameters);
        await using var connection = await database.OpenAsync(cancellationToken);
        // One group per (status, severity, value of each label a regex matcher reads): the matchers then pick groups, not rows.
        var rows = (await connection.QueryAsync<StatsRow>(new CommandDefinition(
            $"""
            SELECT status AS Status, severity AS Severity, ARRAY[{regexes.ValuesSql}]::text[] AS LabelValues, count(*) AS Count,
                   sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END)::bigint AS ResolveMsSum
            FROM alert_occurrences {where}
            GROUP BY 1, 2, 3
            """,
            parameters, cancellationToken: cancellationToken))).Where(r => regexes.Match(r.LabelValues)).ToList();

        return AlertStatsRow.Tally(rows);
    }

    /// <summary>The stats from the hourly rollup, and from the rows of the partial hour before <c>to</c> (<see cref="StatsRollup"/>).</summary>
    internal static (string Sql, DynamicParameters Parameters) RollupStatsCommand(AlertQuery query)
    {
        var parameters = new DynamicParameters();
        var (rollupWhere, edgeWhere) = StatsRollup.Filters(query, parameters);
        var sql = $"""
            SELECT status AS Status, severity AS Severity, sum(occurrences)::bigint AS Count, sum(resolve_ms_sum)::bigint AS ResolveMsSum
            FROM alert_stats_hourly {rollupWhere}
            GROUP BY status, severity HAVING sum(occurrences) > 0
            """;
        if (edgeWhere is not null)
        {
            sql += $"""

                UNION ALL
                SELECT status, severity, count(*), sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END)::bigint
                FROM alert_occurrences {edgeWhere}
                GROUP BY status, severity
                """;
        }

        return (sql, parameters);
    }

    private static void AppendFilters(AlertQuery query, StringBuilder where, DynamicParameters parameters)
    {
        if (query.Status is { } status)
        {
            where.Append(" AND status = @Status");
            parameters.Add("Status", status.ToText());
        }

        AppendEquals(where, parameters, "severity", "Severity", query.Severity);
        AppendEquals(where, parameters, "alertname", "Alertname", query.Alertname);
        AppendEquals(where, parameters, "receiver", "Receiver", query.Receiver);
        if (query.To is { } to)
        {
            where.Append(" AND starts_at_ms <= @ToMs");
            parameters.Add("ToMs", UnixMillis.From(to));
        }

        if (query.From is { } from)
        {
            where.Append(" AND (ends_at_ms IS NULL OR ends_at_ms >= @FromMs)");
            parameters.Add("FromMs", UnixMillis.From(from));
        }

        for (var i = 0; i < query.Matchers.Count; i++)
        {
            var matcher = query.Matchers[i];
            if (matcher.Type is not (Alerts.MatchType.Equal or Alerts.MatchType.NotEqual))
            {
                continue; // regex matchers run in C#
            }

            // A missing label equals "" (Matcher.Matches); text equality in a deterministic collation is byte equality, as Ordinal.
            var op = matcher.Type == Alerts.MatchType.Equal ? "=" : "<>";
            where.Append(CultureInfo.InvariantCulture, $" AND coalesce(labels->>@MatcherName{i}, '') {op} @MatcherValue{i}");
            parameters.Add($"MatcherName{i}", PostgresText.Storable(matcher.Name));
            parameters.Add($"MatcherValue{i}", PostgresText.Storable(matcher.Value));
            if (matcher is { Type: Alerts.MatchType.Equal, Value.Length: > 0, Name: var name } && PlainLabelName().IsMatch(name))
            {
                // The same condition once more, with the name written literally: an expression index on that label,
                // CREATE INDEX ... ON alert_occurrences ((labels->>'instance')), can then serve it.
                where.Append(CultureInfo.InvariantCulture, $" AND labels->>'{name}' = @MatcherValue{i}");
            }
        }
    }

    /// <summary>A Prometheus label name: safe to write into SQL as a string literal.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex PlainLabelName();

    private static void AppendEquals(StringBuilder where, DynamicParameters parameters, string column, string name, string? value)
    {
        if (value is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {column} = @{name}");
            parameters.Add(name, PostgresText.Storable(value));
        }
    }

    private sealed class ScanRow
    {
        public long Id { get; set; }

        public long StartsAtMs { get; set; }

        public string[] LabelValues { get; set; } = [];
    }

    private sealed class StatsRow : AlertStatsRow
    {
        public string[] LabelValues { get; set; } = [];
    }
}

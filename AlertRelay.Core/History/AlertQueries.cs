using System.Globalization;
using System.Text;
using AlertRelay.Core.Alerts;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Core.History;

/// <summary>Reads alert occurrences, their timelines and statistics from the history store.</summary>
public sealed partial class AlertQueries(HistoryDatabase database) : IAlertQueries
{
    private const string Columns = """
        id AS Id, fingerprint AS Fingerprint, status AS Status, labels AS Labels, annotations AS Annotations,
        starts_at_ms AS StartsAtMs, ends_at_ms AS EndsAtMs, generator_url AS GeneratorUrl, receiver AS Receiver,
        group_key AS GroupKey, external_url AS ExternalUrl, received_at_ms AS ReceivedAtMs, updated_at_ms AS UpdatedAtMs,
        severity AS Severity, receivers AS Receivers, inhibited_by AS InhibitedBy, acked_by AS AckedBy, ack_comment AS AckComment,
        acked_at_ms AS AckedAtMs, ack_expires_at_ms AS AckExpiresAtMs,
        silence_id AS SilenceId, silenced_by AS SilencedBy, silence_ends_at_ms AS SilenceEndsAtMs
        """;

    public async Task<AlertPage> ListAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        var limit = Math.Clamp(query.Limit, 1, AlertQuery.MaxLimit);
        var (sql, parameters) = ListCommand(query, limit);
        await using var connection = OpenWithMatchers(query.Matchers);
        var rows = (await connection.QueryAsync<OccurrenceRow>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();

        var items = rows.Take(limit).Select(r => r.ToRecord()).ToList();
        AlertCursor? next = rows.Count > limit ? new AlertCursor(rows[limit - 1].StartsAtMs, rows[limit - 1].Id) : null;
        return new AlertPage(items, next);
    }

    /// <summary>The SQL of a list page (one row more than <paramref name="limit"/>, to know whether another page follows).</summary>
    internal static (string Sql, DynamicParameters Parameters) ListCommand(AlertQuery query, int limit)
    {
        var parameters = new DynamicParameters();
        var where = new StringBuilder("WHERE 1 = 1");
        AppendFilters(query, where, parameters);
        if (query.After is { } after)
        {
            where.Append(" AND (starts_at_ms < @AfterStartsAtMs OR (starts_at_ms = @AfterStartsAtMs AND id < @AfterId))");
            parameters.Add("AfterStartsAtMs", after.StartsAtMs);
            parameters.Add("AfterId", after.Id);
        }

        parameters.Add("Take", limit + 1);
        return ($"SELECT {Columns} FROM alert_occurrences {where} ORDER BY starts_at_ms DESC, id DESC LIMIT @Take", parameters);
    }

    public async Task<(OccurrenceRecord Alert, IReadOnlyList<AlertEvent> Events)?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        var row = await connection.QuerySingleOrDefaultAsync<OccurrenceRow>(new CommandDefinition(
            $"SELECT {Columns} FROM alert_occurrences WHERE id = @Id", new { Id = id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(
            "SELECT id AS Id, kind AS Kind, at_ms AS AtMs, detail AS Detail FROM alert_events WHERE occurrence_id = @Id ORDER BY id",
            new { Id = id }, cancellationToken: cancellationToken));
        return (row.ToRecord(), events.Select(e => new AlertEvent(e.Id, e.Kind, UnixMillis.ToDateTimeOffset(e.AtMs), e.Detail)).ToList());
    }

    public async Task<AlertStats> StatsAsync(AlertQuery query, CancellationToken cancellationToken)
    {
        if (StatsRollup.CanAnswer(query))
        {
            var (sql, rollupParameters) = RollupStatsCommand(query);
            await using var reader = database.Open();
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
        await using var connection = OpenWithMatchers(query.Matchers);
        var rows = (await connection.QueryAsync<AlertStatsRow>(new CommandDefinition(
            $"""
            SELECT status AS Status, severity AS Severity, count(*) AS Count,
                   sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END) AS ResolveMsSum
            FROM alert_occurrences {where}
            GROUP BY status, severity
            """,
            parameters, cancellationToken: cancellationToken))).AsList();

        return AlertStatsRow.Tally(rows);
    }

    /// <summary>The stats from the hourly rollup, and from the rows of the partial hour before <c>to</c> (<see cref="StatsRollup"/>).</summary>
    internal static (string Sql, DynamicParameters Parameters) RollupStatsCommand(AlertQuery query)
    {
        var parameters = new DynamicParameters();
        var (rollupWhere, edgeWhere) = StatsRollup.Filters(query, parameters);
        var sql = $"""
            SELECT status AS Status, severity AS Severity, sum(occurrences) AS Count, sum(resolve_ms_sum) AS ResolveMsSum
            FROM alert_stats_hourly {rollupWhere}
            GROUP BY status, severity HAVING sum(occurrences) > 0
            """;
        if (edgeWhere is not null)
        {
            sql += $"""

                UNION ALL
                SELECT status, severity, count(*), sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END)
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
            // Each matcher runs as a SQL function so that its semantics (anchored regexes, a missing label
            // equal to "") are exactly Matcher.Matches.
            where.Append(CultureInfo.InvariantCulture, $" AND matcher{i}(json_extract(labels, @MatcherPath{i}))");
            parameters.Add($"MatcherPath{i}", $"$.\"{query.Matchers[i].Name}\"");
            if (query.Matchers[i] is { Type: Alerts.MatchType.Equal, Value.Length: > 0, Name: var name } && PlainLabelName().IsMatch(name))
            {
                // The same condition once more, with the path written literally: an expression index on that label,
                // CREATE INDEX ... ON alert_occurrences (json_extract(labels, '$."instance"')), can then serve it.
                where.Append(CultureInfo.InvariantCulture, $" AND json_extract(labels, '$.\"{name}\"') = @MatcherValue{i}");
                parameters.Add($"MatcherValue{i}", query.Matchers[i].Value);
            }
        }
    }

    /// <summary>A Prometheus label name: safe to write into SQL as a JSON path literal.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial System.Text.RegularExpressions.Regex PlainLabelName();

    private static void AppendEquals(StringBuilder where, DynamicParameters parameters, string column, string name, string? value)
    {
        if (value is not null)
        {
            where.Append(CultureInfo.InvariantCulture, $" AND {column} = @{name}");
            parameters.Add(name, value);
        }
    }

    internal SqliteConnection OpenWithMatchers(IReadOnlyList<Matcher> matchers)
    {
        var connection = database.Open();
        for (var i = 0; i < matchers.Count; i++)
        {
            var matcher = matchers[i];
            connection.CreateFunction<string?, bool>($"matcher{i}", value => matcher.Matches(value ?? ""), isDeterministic: true);
        }

        return connection;
    }

    // Rows are classes with setters: Dapper types a NULL column from its value, which a constructor cannot take.
    private sealed class EventRow
    {
        public long Id { get; set; }

        public string Kind { get; set; } = "";

        public long AtMs { get; set; }

        public string? Detail { get; set; }
    }
}

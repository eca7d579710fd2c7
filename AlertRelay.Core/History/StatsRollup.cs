using AlertRelay.Core.Alerts;
using Dapper;

namespace AlertRelay.Core.History;

/// <summary>
/// When the hourly rollup (<c>alert_stats_hourly</c>, SQLite migration 11 / PostgreSQL 5) answers a stats query, and how it
/// splits: whole hours of startsAt from the rollup, the partial hour before <see cref="AlertQuery.To"/> from the rows.
/// </summary>
internal static class StatsRollup
{
    /// <summary>The rollup's bucket: <c>starts_at_ms / 3600000</c> (integer division on both engines).</summary>
    public const long HourMs = 3_600_000;

    /// <summary>
    /// The rollup holds status, severity and startsAt only: a window start (which asks about endsAt), an alertname, a receiver or
    /// a matcher is answered from the rows. A <c>to</c> in the first hour after the epoch is too (hour 0 also holds earlier times).
    /// </summary>
    public static bool CanAnswer(AlertQuery query) =>
        query is { From: null, Alertname: null, Receiver: null, Matchers.Count: 0 }
        && (query.To is not { } to || UnixMillis.From(to) >= HourMs);

    /// <summary>
    /// The conditions on the rollup and on the rows of the partial hour, with their parameters: the rollup takes the hours
    /// before <c>to</c>'s hour, the rows those from its start to <c>to</c> itself. Without <c>to</c>, the rollup takes every hour
    /// and the rows none.
    /// </summary>
    public static (string RollupWhere, string? EdgeWhere) Filters(AlertQuery query, DynamicParameters parameters)
    {
        var common = "";
        if (query.Status is { } status)
        {
            common += " AND status = @Status";
            parameters.Add("Status", status.ToText());
        }

        if (query.Severity is { } severity)
        {
            common += " AND severity = @Severity";
            parameters.Add("Severity", severity);
        }

        if (query.To is not { } to)
        {
            return ("WHERE 1 = 1" + common, null);
        }

        var toMs = UnixMillis.From(to);
        var toHour = toMs / HourMs;
        parameters.Add("ToHour", toHour);
        parameters.Add("EdgeFromMs", toHour * HourMs);
        parameters.Add("ToMs", toMs);
        return ("WHERE hour < @ToHour" + common, "WHERE starts_at_ms >= @EdgeFromMs AND starts_at_ms <= @ToMs" + common);
    }
}

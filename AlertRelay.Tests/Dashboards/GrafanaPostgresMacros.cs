using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// Turns a panel's <c>rawSql</c> into the SQL that Grafana's built-in PostgreSQL datasource
/// (<c>grafana-postgresql-datasource</c>) runs, in Grafana's order:
/// <list type="number">
/// <item>The frontend interpolates dashboard and global variables (<c>templateSrv.replace</c>): <c>$__from</c>/<c>$__to</c>
/// become epoch <b>milliseconds</b>.</item>
/// <item>The backend's global substitutions for every SQL datasource (<c>sqleng</c>'s <c>Interpolate</c>):
/// <c>$__unixEpochFrom()</c>/<c>$__unixEpochTo()</c> become epoch seconds. <c>$__interval</c> and <c>$__interval_ms</c> depend on
/// the panel's width and are refused here: the dashboards use fixed buckets.</item>
/// <item>The PostgreSQL macro engine (<c>pkg/tsdb/grafana-postgresql-datasource/macros.go</c>): every
/// <c>$name(args)</c> matching <c>\$([_a-zA-Z0-9]+)\(([^\)]*)\)</c>, arguments split on commas and trimmed of spaces.
/// Times are RFC 3339 in UTC with trailing zeros of the fraction dropped (Go's <c>time.RFC3339Nano</c>), intervals are
/// printed as Go's <c>%v</c> prints a float64 of seconds, <c>$__timeGroup</c> directly followed by a comma becomes
/// <c>$__timeGroupAlias</c> (Grafana's pre-5.3 compatibility), and an unknown macro is an error (Grafana answers
/// <c>unknown macro</c>). The TimescaleDB variant of <c>$__timeGroup</c> (<c>time_bucket</c>) is not used: the datasource
/// is provisioned with <c>timescaledb: false</c>.</item>
/// </list>
/// Anything left that looks like a Grafana variable fails here with the expanded SQL.
/// </summary>
public static partial class GrafanaPostgresMacros
{
    public static string Expand(string rawSql, DateTimeOffset from, DateTimeOffset to)
    {
        // Newer Grafana versions strip SQL comments before expanding (and keep some): keep the panels free of them, so
        // that every version runs the same SQL.
        if (rawSql.Contains("--", StringComparison.Ordinal) || rawSql.Contains("/*", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"SQL comments in a panel: Grafana versions differ in how they strip them: {rawSql}");
        }

        // 1. The frontend's variables.
        var fromMs = from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var toMs = to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sql = rawSql
            .Replace("${__from}", fromMs, StringComparison.Ordinal)
            .Replace("${__to}", toMs, StringComparison.Ordinal)
            .Replace("$__from", fromMs, StringComparison.Ordinal)
            .Replace("$__to", toMs, StringComparison.Ordinal);

        // 2. sqleng's global substitutions (before the macro engine, as Grafana does them).
        if (sql.Contains("$__interval", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("$__interval/$__interval_ms depend on the panel width: use a fixed interval in these dashboards");
        }

        sql = sql
            .Replace("$__unixEpochFrom()", from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__unixEpochTo()", to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // 3. The PostgreSQL macro engine.
        var original = sql;
        sql = MacroRegex().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            if (name == "__timeGroup")
            {
                // As Grafana: looks at the first occurrence of the same text in the query.
                var index = original.IndexOf(match.Value, StringComparison.Ordinal);
                if (index >= 0 && index + match.Value.Length < original.Length && original[index + match.Value.Length] == ',')
                {
                    name = "__timeGroupAlias";
                }
            }

            var arguments = match.Groups[2].Value.Split(',').Select(a => a.Trim(' ')).ToArray();
            return Evaluate(name, arguments, from, to);
        });

        var leftover = LeftoverVariableRegex().Match(sql);
        if (leftover.Success)
        {
            throw new InvalidOperationException($"uninterpolated Grafana variable {leftover.Value} in: {sql}");
        }

        return sql;
    }

    private static string Evaluate(string name, string[] args, DateTimeOffset from, DateTimeOffset to) => name switch
    {
        "__time" => $"{args[0]} AS \"time\"",
        "__timeEpoch" => $"extract(epoch from {args[0]}) as \"time\"",
        "__timeFilter" => $"{args[0]} BETWEEN '{Rfc3339Nano(from)}' AND '{Rfc3339Nano(to)}'",
        "__timeFrom" => $"'{Rfc3339Nano(from)}'",
        "__timeTo" => $"'{Rfc3339Nano(to)}'",
        "__timeGroup" => TimeGroup(name, args),
        "__timeGroupAlias" => TimeGroup("__timeGroup", args) + " AS \"time\"",
        "__unixEpochFilter" => $"{args[0]} >= {from.ToUnixTimeSeconds()} AND {args[0]} <= {to.ToUnixTimeSeconds()}",
        "__unixEpochNanoFilter" => $"{args[0]} >= {UnixNanos(from)} AND {args[0]} <= {UnixNanos(to)}",
        "__unixEpochNanoFrom" => UnixNanos(from).ToString(CultureInfo.InvariantCulture),
        "__unixEpochNanoTo" => UnixNanos(to).ToString(CultureInfo.InvariantCulture),
        "__unixEpochGroup" => UnixEpochGroup(name, args),
        "__unixEpochGroupAlias" => UnixEpochGroup("__unixEpochGroup", args) + " AS \"time\"",
        _ => throw new InvalidOperationException($"unknown macro \"{name}\" (Grafana's PostgreSQL datasource would refuse the query)"),
    };

    private static string TimeGroup(string name, string[] args)
    {
        var seconds = GoFloat(IntervalSeconds(name, args));
        return $"floor(extract(epoch from {args[0]})/{seconds})*{seconds}";
    }

    private static string UnixEpochGroup(string name, string[] args)
    {
        var seconds = GoFloat(IntervalSeconds(name, args));
        return $"floor(({args[0]})/{seconds})*{seconds}";
    }

    private static double IntervalSeconds(string name, string[] args)
    {
        if (args.Length < 2)
        {
            throw new InvalidOperationException($"macro {name} needs time column and interval and optional fill value");
        }

        if (args.Length == 3 && args[2] is not ("NULL" or "previous") && !double.TryParse(args[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidOperationException($"error parsing fill value {args[2]}");
        }

        // The optional fill value only fills gaps in the response; the SQL is the same.
        return ParseInterval(args[1].Trim('\'')).TotalSeconds;
    }

    /// <summary>Grafana's <c>gtime.ParseInterval</c> for the units a dashboard uses: a Go duration (<c>1h30m</c>, <c>300s</c>), or N days/weeks.</summary>
    private static TimeSpan ParseInterval(string text)
    {
        var calendar = CalendarIntervalRegex().Match(text);
        if (calendar.Success)
        {
            var n = int.Parse(calendar.Groups[1].Value, CultureInfo.InvariantCulture);
            return calendar.Groups[2].Value == "w" ? TimeSpan.FromDays(7 * n) : TimeSpan.FromDays(n);
        }

        var parts = GoDurationRegex().Match(text);
        if (!parts.Success || text.Length == 0)
        {
            throw new InvalidOperationException($"error parsing interval {text}");
        }

        var total = 0.0;
        foreach (Capture capture in parts.Groups[1].Captures)
        {
            var unit = UnitRegex().Match(capture.Value);
            var value = double.Parse(capture.Value[..unit.Index], CultureInfo.InvariantCulture);
            total += value * unit.Value switch
            {
                "ns" => 1e-9,
                "us" or "µs" => 1e-6,
                "ms" => 1e-3,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => throw new InvalidOperationException($"error parsing interval {text}"),
            };
        }

        return TimeSpan.FromSeconds(total);
    }

    /// <summary>Go's <c>time.RFC3339Nano</c> of the UTC time: <c>2025-01-15T12:00:00Z</c>, <c>2025-01-15T12:00:00.5Z</c>.</summary>
    private static string Rfc3339Nano(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var text = new StringBuilder(utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        var nanos = (utc.Ticks % TimeSpan.TicksPerSecond) * 100;
        if (nanos != 0)
        {
            text.Append('.').Append(nanos.ToString("000000000", CultureInfo.InvariantCulture).TrimEnd('0'));
        }

        return text.Append('Z').ToString();
    }

    private static long UnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>A float64 as Go's <c>%v</c> prints it: shortest form, exponent form from 1e+06 (and below 1e-4).</summary>
    private static string GoFloat(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude >= 1e6 || magnitude < 1e-4))
        {
            return value.ToString("0.################e+00", CultureInfo.InvariantCulture);
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\$([_a-zA-Z0-9]+)\(([^\)]*)\)")]
    private static partial Regex MacroRegex();

    [GeneratedRegex(@"^(\d+)([dw])$")]
    private static partial Regex CalendarIntervalRegex();

    [GeneratedRegex(@"^((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDurationRegex();

    [GeneratedRegex(@"(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex UnitRegex();

    // $name, ${name...} or [[name]] (PostgreSQL's own $1 parameters never appear in a panel's SQL).
    [GeneratedRegex(@"\$\w+|\$\{[^}]*\}|\[\[\w+\]\]")]
    private static partial Regex LeftoverVariableRegex();
}

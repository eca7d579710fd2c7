using System.Globalization;
using System.Text.RegularExpressions;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// Turns a panel's <c>rawQueryText</c> into the SQL that frser-sqlite-datasource runs, the way Grafana and
/// the plugin do it:
/// <list type="number">
/// <item>Grafana interpolates the global variables (the plugin's <c>applyTemplateVariables</c> sets
/// <c>queryText = templateSrv.replace(rawQueryText)</c>): <c>$__from</c>/<c>$__to</c> become epoch
/// <b>milliseconds</b>. The plugin's backend does the same again for alert queries
/// (<c>replaceVariables</c>: <c>TimeRange.From.Unix() * 1000</c>).</item>
/// <item>The plugin expands its macros with the regex <c>\$__([_a-zA-Z0-9]+)\(([^\)]*)\)</c>; its only
/// grouping macro, <c>$__unixEpochGroupSeconds(col, N[, NULL])</c>, becomes
/// <c>cast((col / N) as int) * N</c> (<c>pkg/plugin/macros.go</c>); the optional third argument only
/// switches on gap filling in the response, it does not change the SQL.</item>
/// </list>
/// Anything else the plugin would pass through untouched (and SQLite would then reject) fails here with a
/// clearer message.
/// </summary>
public static partial class FrserSqliteMacros
{
    public static string Expand(string rawQueryText, DateTimeOffset from, DateTimeOffset to)
    {
        var fromMs = from.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var toMs = to.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var sql = rawQueryText
            .Replace("${__from}", fromMs, StringComparison.Ordinal)
            .Replace("${__to}", toMs, StringComparison.Ordinal)
            .Replace("$__from", fromMs, StringComparison.Ordinal)
            .Replace("$__to", toMs, StringComparison.Ordinal);

        sql = MacroRegex().Replace(sql, match => match.Groups[1].Value switch
        {
            "unixEpochGroupSeconds" => UnixEpochGroupSeconds(match.Groups[2].Value.Split(',')),
            var name => throw new InvalidOperationException(
                $"$__{name}(...) is not a frser-sqlite-datasource macro (the plugin only expands $__unixEpochGroupSeconds): {match.Value}"),
        });

        var leftover = LeftoverVariableRegex().Match(sql);
        if (leftover.Success)
        {
            throw new InvalidOperationException($"uninterpolated Grafana variable {leftover.Value} in: {sql}");
        }

        return sql;
    }

    private static string UnixEpochGroupSeconds(string[] arguments)
    {
        if (arguments.Length is < 2 or > 3)
        {
            throw new InvalidOperationException($"unsupported number of arguments ({arguments.Length}) for unixEpochGroupSeconds");
        }

        if (!int.TryParse(arguments[1].Trim(' '), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var interval))
        {
            throw new InvalidOperationException($"could not convert '{arguments[1]}' to an integer grouping interval");
        }

        if (arguments.Length == 3 && !string.Equals(arguments[2].Trim(' '), "null", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"unsupported gap filling value of: `{arguments[2]}`");
        }

        // As the plugin: the column argument is used as written (not trimmed).
        return $"cast(({arguments[0]} / {interval}) as int) * {interval}";
    }

    [GeneratedRegex(@"\$__([_a-zA-Z0-9]+)\(([^\)]*)\)")]
    private static partial Regex MacroRegex();

    // $name, ${name...} or [[name]]; '$.path' in json_extract is not a variable.
    [GeneratedRegex(@"\$\w+|\$\{[^}]*\}|\[\[\w+\]\]")]
    private static partial Regex LeftoverVariableRegex();
}

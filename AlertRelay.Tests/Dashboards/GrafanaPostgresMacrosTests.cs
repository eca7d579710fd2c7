namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// <see cref="GrafanaPostgresMacros"/> expands as Grafana's PostgreSQL datasource does: the cases of Grafana's own macro
/// engine tests (<c>pkg/tsdb/grafana-postgresql-datasource/macros_test.go</c>), for 2018-04-12 18:00 to 18:05 UTC.
/// </summary>
public sealed class GrafanaPostgresMacrosTests
{
    private static readonly DateTimeOffset From = new(2018, 4, 12, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddMinutes(5);

    public static TheoryData<string, string, string> Cases() => new()
    {
        { "time", "select $__time(time_column)", "select time_column AS \"time\"" },
        { "time in an aggregate (as Grafana: the alias lands inside)", "select min($__time(time_column))", "select min(time_column AS \"time\")" },
        { "timeEpoch", "select $__timeEpoch(time_column)", "select extract(epoch from time_column) as \"time\"" },
        { "timeFilter", "WHERE $__timeFilter(time_column)", "WHERE time_column BETWEEN '2018-04-12T18:00:00Z' AND '2018-04-12T18:05:00Z'" },
        { "timeFrom", "select $__timeFrom()", "select '2018-04-12T18:00:00Z'" },
        { "timeTo", "select $__timeTo()", "select '2018-04-12T18:05:00Z'" },
        { "timeGroup", "SELECT $__timeGroup(time_column,'5m')", "SELECT floor(extract(epoch from time_column)/300)*300" },
        { "timeGroupAlias", "SELECT $__timeGroupAlias(time_column,'5m')", "SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\"" },
        { "timeGroup followed by a comma gets the alias (pre-5.3)", "SELECT $__timeGroup(time_column,'5m'), value", "SELECT floor(extract(epoch from time_column)/300)*300 AS \"time\", value" },
        { "timeGroup with its own alias", "SELECT $__timeGroup(time_column,'5m') as time, value", "SELECT floor(extract(epoch from time_column)/300)*300 as time, value" },
        { "timeGroup with spaces between arguments", "$__timeGroup(time_column , '5m')", "floor(extract(epoch from time_column)/300)*300" },
        { "timeGroup with a fill value", "$__timeGroupAlias(time_column, '1h', 0)", "floor(extract(epoch from time_column)/3600)*3600 AS \"time\"" },
        { "timeGroup in days: Go's %v switches to an exponent from 1e6", "$__timeGroup(t, '12d')", "floor(extract(epoch from t)/1.0368e+06)*1.0368e+06" },
        { "timeGroup below a second", "$__timeGroup(t, '20ms')", "floor(extract(epoch from t)/0.02)*0.02" },
        { "unixEpochFilter", "select $__unixEpochFilter(time)", "select time >= 1523556000 AND time <= 1523556300" },
        { "unixEpochNanoFilter", "select $__unixEpochNanoFilter(time)", "select time >= 1523556000000000000 AND time <= 1523556300000000000" },
        { "unixEpochNanoFrom", "select $__unixEpochNanoFrom()", "select 1523556000000000000" },
        { "unixEpochNanoTo", "select $__unixEpochNanoTo()", "select 1523556300000000000" },
        { "unixEpochGroup", "SELECT $__unixEpochGroup(time_column+time_adjustment,'5m')", "SELECT floor((time_column+time_adjustment)/300)*300" },
        { "unixEpochGroupAlias", "SELECT $__unixEpochGroupAlias(c,'5m')", "SELECT floor((c)/300)*300 AS \"time\"" },
        { "unixEpochFrom/To (sqleng's global substitution)", "c BETWEEN $__unixEpochFrom() AND $__unixEpochTo()", "c BETWEEN 1523556000 AND 1523556300" },
        { "from/to (the frontend's variables, milliseconds)", "c BETWEEN $__from AND ${__to}", "c BETWEEN 1523556000000 AND 1523556300000" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Expand_GivesGrafanasSql(string name, string rawSql, string expected)
    {
        Assert.False(string.IsNullOrEmpty(name));
        Assert.Equal(expected, GrafanaPostgresMacros.Expand(rawSql, From, To));
    }

    [Fact]
    public void Expand_WritesFractionsOfASecond_AsGosRfc3339Nano() =>
        Assert.Equal(
            "t BETWEEN '1960-02-01T07:00:00.5Z' AND '1980-02-03T08:00:00.123Z'",
            GrafanaPostgresMacros.Expand(
                "$__timeFilter(t)",
                new DateTimeOffset(1960, 2, 1, 7, 0, 0, 500, TimeSpan.Zero),
                new DateTimeOffset(1980, 2, 3, 9, 0, 0, 123, TimeSpan.FromHours(1))));

    [Theory]
    [InlineData("SELECT $__timeGroupp(t, '5m')")]
    [InlineData("SELECT $__unixEpochGroupSeconds(t, 300)")]
    [InlineData("SELECT $__timeGroup(t)")]
    [InlineData("SELECT $__timeGroup(t, 'five')")]
    [InlineData("SELECT t FROM x WHERE a = $variable")]
    [InlineData("SELECT $__interval_ms")]
    [InlineData("SELECT 1 -- a comment")]
    public void Expand_RefusesWhatGrafanaWouldNotRun(string rawSql) =>
        Assert.Throws<InvalidOperationException>(() => GrafanaPostgresMacros.Expand(rawSql, From, To));
}

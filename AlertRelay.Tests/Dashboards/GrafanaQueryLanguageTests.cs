namespace AlertRelay.Tests.Dashboards;

/// <summary>The helpers the dashboard tests rely on: the frser macro expansion and the PromQL name extraction.</summary>
public sealed class GrafanaQueryLanguageTests
{
    private static readonly DateTimeOffset From = new(2025, 1, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Macros_FromAndToAreEpochMilliseconds() =>
        Assert.Equal(
            "SELECT 1 WHERE starts_at_ms BETWEEN 1736856000000 AND 1736942400000",
            FrserSqliteMacros.Expand("SELECT 1 WHERE starts_at_ms BETWEEN $__from AND $__to", From, To));

    [Fact]
    public void Macros_UnixEpochGroupSeconds_ExpandsAsThePluginDoes()
    {
        // pkg/plugin/macros.go: fmt.Sprintf("cast((%s / %d) as int) * %d", arguments[0], interval, interval)
        Assert.Equal("SELECT cast((starts_at / 300) as int) * 300 AS time", FrserSqliteMacros.Expand("SELECT $__unixEpochGroupSeconds(starts_at, 300) AS time", From, To));
        Assert.Equal("cast((\"time\" / 10) as int) * 10", FrserSqliteMacros.Expand("$__unixEpochGroupSeconds(\"time\", 10, NULL)", From, To));
    }

    [Theory]
    [InlineData("SELECT $__timeFilter(at) FROM t")]
    [InlineData("SELECT $__unixEpochGroupSeconds(at) FROM t")]
    [InlineData("SELECT $__unixEpochGroupSeconds(at, $__interval_s) FROM t")]
    [InlineData("SELECT * FROM t WHERE severity = '$severity'")]
    public void Macros_RejectWhatThePluginWouldNotExpand(string sql) =>
        Assert.Throws<InvalidOperationException>(() => FrserSqliteMacros.Expand(sql, From, To));

    [Fact]
    public void Macros_LeaveJsonPathsAlone() =>
        Assert.Equal("SELECT json_extract(labels, '$.instance')", FrserSqliteMacros.Expand("SELECT json_extract(labels, '$.instance')", From, To));

    [Fact]
    public void PromQl_MetricNames_SkipFunctionsKeywordsLabelsAndDurations()
    {
        var expr = "(sum by (route) (rate(a_total{route=~\"$route\",status_code=~\"5..\"}[5m])) or (sum by (route) (rate(b_total[5m])) * 0))"
            + " / (sum without (instance) (rate(c_bucket{le=\"+Inf\"}[5m] offset 1h)) > 0) + on(job) group_left(node) d:rule + 1e-9";

        Assert.Equal(["a_total", "b_total", "c_bucket", "d:rule"], PromQl.MetricNames(expr).Order());
        Assert.Equal(["instance", "job", "le", "node", "route", "status_code"], PromQl.LabelNames(expr).Order());
    }

    [Fact]
    public void PromQl_Interpolate_ReplacesTheRouteVariable_AndRejectsUnknownOnes()
    {
        Assert.Equal("rate(x{route=~\".*\"}[5m])", PromQl.Interpolate("rate(x{route=~\"$route\"}[5m])", ".*"));
        Assert.Throws<InvalidOperationException>(() => PromQl.Interpolate("rate(x{instance=~\"$instance\"}[5m])", ".*"));
    }
}

using System.Globalization;
using AlertRelay.Tests.TestData;
using Dapper;
using static AlertRelay.Tests.Dashboards.SeededHistory;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// Runs every SQL query of alert-history.json, expanded as Grafana and frser-sqlite-datasource expand it, against a
/// real AlertRelay history file holding a known history (<see cref="SeededHistory"/>), read-only as the provisioned
/// datasource opens it, and checks what each panel would show.
/// </summary>
public sealed class AlertHistoryDashboardTests(SeededHistory history) : AlertHistoryDashboardContract, IClassFixture<SeededHistory>
{
    /// <summary>The SQLite panels this class checks value by value; a new panel needs its own expectations here.</summary>
    private static readonly int[] PanelsWithExpectations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

    public static TheoryData<int, string> SqlTargets()
    {
        var data = new TheoryData<int, string>();
        foreach (var target in GrafanaFiles.Targets(GrafanaFiles.AlertHistory).Where(t => t.DatasourceUid == "alertrelay-history"))
        {
            data.Add(target.PanelId, target.RefId);
        }

        return data;
    }

    [Fact]
    public void EveryPanelIsOnTheHistoryDatasource_AndEverySqlPanelHasExpectations()
    {
        var dashboard = GrafanaFiles.LoadDashboard(GrafanaFiles.AlertHistory);
        var panels = GrafanaFiles.QueryPanels(dashboard).ToList();
        Assert.All(panels, p => Assert.Equal("alertrelay-history", (string?)p["datasource"]?["uid"]));
        Assert.Equal(PanelsWithExpectations, panels.Select(p => (int)p["id"]!).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(SqlTargets))]
    public void EveryQuery_RunsOnTheHistory_ReturnsRows_AndItsTimeColumns(int panelId, string refId)
    {
        var target = GrafanaFiles.Targets(GrafanaFiles.AlertHistory).Single(t => t.PanelId == panelId && t.RefId == refId);
        var raw = (string)target.Target["rawQueryText"]!;
        Assert.Equal(raw, (string?)target.Target["queryText"]);
        var queryType = (string?)target.Target["queryType"];
        Assert.Contains(queryType, new[] { "table", "time series" });

        var result = history.Query(FrserSqliteMacros.Expand(raw, From, To));

        Assert.NotEmpty(result.Rows);
        var timeColumns = target.Target["timeColumns"]!.AsArray().Select(c => (string)c!).ToList();
        foreach (var column in timeColumns)
        {
            // Epoch seconds, as the plugin reads numbers in time columns.
            Assert.All(result.Column(column), v => Assert.InRange(Assert.IsType<long>(v), From.ToUnixTimeSeconds() - 86_400 * 30L, To.ToUnixTimeSeconds()));
        }

        if (queryType == "time series")
        {
            // The plugin turns the long frame into a wide one: one time column, sorted ascending, and numeric values.
            var time = Assert.Single(timeColumns);
            var times = result.Column(time).Cast<long>().ToList();
            Assert.Equal(times.Order(), times);
            Assert.All(times, t => Assert.InRange(t, From.ToUnixTimeSeconds(), To.ToUnixTimeSeconds()));
            Assert.Contains(result.Columns, c => c != time && result.Column(c).All(v => v is long or double));
        }
    }

    [Fact]
    public void NoisiestAlerts_KeepsTheTopTen()
    {
        using var db = new TempDatabase();
        using (var connection = db.Database.Open())
        {
            var rows = Enumerable.Range(1, 12).SelectMany(n => Enumerable.Range(0, n).Select(i => new
            {
                Fingerprint = (n * 100) + i, StartMs = Ms(H(1)) + (i * 1000L), Alertname = $"Alert{n:00}",
            }));
            connection.Execute(
                "INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, alertname, labels, annotations, received_at_ms, updated_at_ms) VALUES (@Fingerprint, @StartMs, 'firing', @Alertname, '{}', '{}', @StartMs, @StartMs)",
                rows);
        }

        var target = GrafanaFiles.Targets(GrafanaFiles.AlertHistory).Single(t => t.PanelId == 12);
        var result = QueryFile(db.Path, FrserSqliteMacros.Expand((string)target.Target["rawQueryText"]!, From, To));

        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(n => $"Alert{n:00}|{n}").ToList(), Format(result.Project("alertname", "occurrences")));
    }

    protected override QueryResult Run(int panelId, string title)
    {
        var target = Assert.Single(GrafanaFiles.Targets(GrafanaFiles.AlertHistory), t => t.PanelId == panelId);
        Assert.Equal(title, target.PanelTitle);
        return history.Query(FrserSqliteMacros.Expand((string)target.Target["rawQueryText"]!, From, To));
    }

    /// <summary>A table's time: epoch seconds, as frser-sqlite-datasource reads numbers in time columns.</summary>
    protected override string Time(TimeSpan beforeTo) => Sec(beforeTo).ToString(CultureInfo.InvariantCulture);
}

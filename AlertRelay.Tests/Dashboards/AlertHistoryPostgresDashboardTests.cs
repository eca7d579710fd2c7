using System.Globalization;
using AlertRelay.Tests.TestData;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static AlertRelay.Tests.Dashboards.SeededHistory;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// Runs every SQL query of alert-history-postgres.json, expanded as Grafana's PostgreSQL datasource expands it
/// (<see cref="GrafanaPostgresMacros"/>), against a real PostgreSQL history holding the same known history as the SQLite
/// dashboard's (<see cref="PostgresSeededHistory"/>), and checks what each panel would show: the same numbers as
/// <see cref="AlertHistoryDashboardTests"/>, with times as <c>timestamptz</c>.
/// </summary>
public sealed class AlertHistoryPostgresDashboardTests(PostgresSeededHistory history) : AlertHistoryDashboardContract, IClassFixture<PostgresSeededHistory>
{
    public const string DatasourceUid = "alertrelay-history-postgres";

    public const string DatasourceType = "grafana-postgresql-datasource";

    /// <summary>The PostgreSQL panels this class checks value by value; a new panel needs its own expectations here.</summary>
    private static readonly int[] PanelsWithExpectations = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17];

    public static TheoryData<int, string> SqlTargets()
    {
        var data = new TheoryData<int, string>();
        foreach (var target in GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres).Where(t => t.DatasourceUid == DatasourceUid))
        {
            data.Add(target.PanelId, target.RefId);
        }

        return data;
    }

    [Fact]
    public void EveryPanelIsOnThePostgresDatasource_AndEverySqlPanelHasExpectations()
    {
        var panels = GrafanaFiles.QueryPanels(GrafanaFiles.LoadDashboard(GrafanaFiles.AlertHistoryPostgres)).ToList();
        Assert.All(panels, p => Assert.Equal(DatasourceUid, (string?)p["datasource"]?["uid"]));
        Assert.All(panels, p => Assert.Equal(DatasourceType, (string?)p["datasource"]?["type"]));
        Assert.Equal(PanelsWithExpectations, panels.Select(p => (int)p["id"]!).Order().ToArray());
    }

    [Fact]
    public void TheDashboard_HasTheSqliteDashboardsPanels_InTheSamePlaces()
    {
        var sqlite = GrafanaFiles.QueryPanels(GrafanaFiles.LoadDashboard(GrafanaFiles.AlertHistory)).ToList();
        var postgres = GrafanaFiles.QueryPanels(GrafanaFiles.LoadDashboard(GrafanaFiles.AlertHistoryPostgres)).ToList();

        Assert.Equal(
            sqlite.Select(p => $"{p["id"]}|{p["type"]}|{p["title"]}|{p["gridPos"]!.ToJsonString()}"),
            postgres.Select(p => $"{p["id"]}|{p["type"]}|{p["title"]}|{p["gridPos"]!.ToJsonString()}"));
    }

    [Theory]
    [MemberData(nameof(SqlTargets))]
    public void EveryQuery_RunsOnTheHistory_ReturnsRows_AndItsTimeColumn(int panelId, string refId)
    {
        var target = GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres).Single(t => t.PanelId == panelId && t.RefId == refId);
        var format = (string?)target.Target["format"];

        var result = history.Query(GrafanaPostgresMacros.Expand((string)target.Target["rawSql"]!, From, To));

        Assert.NotEmpty(result.Rows);
        if (format == "time_series")
        {
            // Grafana turns the long frame into a wide one: a numeric "time" column (epoch seconds), ascending, and numeric values.
            var times = result.Column("time").Select(v => Assert.IsType<decimal>(v)).ToList();
            Assert.Equal(times.Order(), times);
            Assert.All(times, t => Assert.InRange(t, From.ToUnixTimeSeconds(), To.ToUnixTimeSeconds()));
            Assert.Contains(result.Columns, c => c != "time" && result.Column(c).All(v => v is long or int or double or decimal));
        }
        else if (result.Columns.Contains("time"))
        {
            // A timestamptz: Grafana shows it as a time in the browser's time zone.
            Assert.All(result.Column("time"), v => Assert.InRange(
                Assert.IsType<DateTime>(v), (From - TimeSpan.FromDays(30)).UtcDateTime, To.UtcDateTime));
        }
    }

    [Fact]
    public async Task NoisiestAlerts_KeepsTheTopTen()
    {
        await using var store = await PostgresTestStore.CreatePostgresAsync();
        await using (var connection = new NpgsqlConnection(store.ConnectionString))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, alertname, labels, annotations, received_at_ms, updated_at_ms)
                SELECT n * 100 + i, @start + i * 1000, 'firing', 'Alert' || lpad(n::text, 2, '0'), '{}', '{}', @start + i * 1000, @start + i * 1000
                FROM generate_series(1, 12) AS n, generate_series(0, 11) AS i
                WHERE i < n
                """,
                connection);
            insert.Parameters.AddWithValue("start", Ms(H(1)));
            Assert.Equal(78, await insert.ExecuteNonQueryAsync());
        }

        var target = GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres).Single(t => t.PanelId == 12);
        var result = PostgresSeededHistory.QueryDatabase(store.ConnectionString, GrafanaPostgresMacros.Expand((string)target.Target["rawSql"]!, From, To));

        Assert.Equal(Enumerable.Range(3, 10).Reverse().Select(n => $"Alert{n:00}|{n}").ToList(), Format(result.Project("alertname", "occurrences")));
    }

    [Fact]
    public async Task AnAlertIngestedByTheWriter_ShowsInThePanels()
    {
        // What AlertRelay's own PostgreSQL writer stores (jsonb labels, the generated timestamptz columns, the fingerprint as a
        // signed bigint), read by the panels as Grafana runs them.
        var now = new DateTimeOffset(2026, 11, 24, 22, 33, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        await using var store = await PostgresTestStore.CreatePostgresAsync();
        await using (var running = new RunningWriter(store.CreateWriter(time)))
        {
            var result = await running.SubmitAsync(Fixtures.Bytes("firing-single.json"));
            Assert.Equal(1, result.Created);
        }

        QueryResult Panel(int id) => PostgresSeededHistory.QueryDatabase(
            store.ConnectionString,
            GrafanaPostgresMacros.Expand((string)GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres).Single(t => t.PanelId == id).Target["rawSql"]!, now.AddHours(-24), now));

        Assert.Equal(1L, Panel(1).Single("firing"));
        Assert.Equal(1L, Panel(2).Single("started"));
        var startsAt = new DateTimeOffset(2026, 11, 24, 22, 32, 30, 253, TimeSpan.Zero);
        Assert.Equal(
            [$"{startsAt.ToUnixTimeSeconds() / 300 * 300}|critical|1"],
            Format(Panel(7).Project("time", "severity", "alerts")));
        Assert.Equal(
            [$"{Format(startsAt.UtcDateTime)}|HighErrorRate|critical|api:3000|High error rate detected|NULL||76902ea1e495036c"],
            Format(Panel(9).Project("time", "alertname", "severity", "instance", "summary", "acked_by", "inhibited", "fingerprint")));
    }

    protected override QueryResult Run(int panelId, string title)
    {
        var target = Assert.Single(GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres), t => t.PanelId == panelId);
        Assert.Equal(title, target.PanelTitle);
        return history.Query(GrafanaPostgresMacros.Expand((string)target.Target["rawSql"]!, From, To));
    }

    /// <summary>A table's time: a UTC <c>timestamptz</c>.</summary>
    protected override string Time(TimeSpan beforeTo) => Format((To - beforeTo).UtcDateTime);
}

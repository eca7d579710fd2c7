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
public sealed class AlertHistoryPostgresDashboardTests(PostgresSeededHistory history) : IClassFixture<PostgresSeededHistory>
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
    public void FiringNow_CountsEveryFiringOccurrence_WhateverTheRange() =>
        Assert.Equal(5L, Run(1, "Firing now").Single("firing"));

    [Fact]
    public void AlertsStarted_CountsOccurrencesStartedInTheRange() =>
        Assert.Equal(9L, Run(2, "Alerts started").Single("started"));

    [Fact]
    public void MeanTimeToAcknowledge_UsesEachOccurrencesFirstAcknowledgement() =>
        Assert.Equal(1700.0, Run(3, "Mean time to acknowledge").Single("mean_seconds"));

    [Fact]
    public void MeanTimeToResolve_AveragesResolvedOccurrencesStartedInTheRange() =>
        Assert.Equal((1800.0 + 3600 + 3600 + 3600 + 300) / 5, Run(4, "Mean time to resolve").Single("mean_seconds"));

    [Fact]
    public void Escalations_CountsEscalatedEventsInTheRange() =>
        Assert.Equal(3L, Run(5, "Escalations").Single("escalations"));

    [Fact]
    public void DeadNotifications_CountsEveryDeadNotification() =>
        Assert.Equal(3L, Run(6, "Dead notifications").Single("dead"));

    [Fact]
    public void AlertsStartedBySeverity_BucketsPerFiveMinutes()
    {
        var result = Run(7, "Alerts started by severity");

        Assert.Equal(
        [
            $"{Sec(H(20))}|warning|1",
            $"{Sec(H(10))}|critical|1", // started 17 s into the bucket
            $"{Sec(H(8))}|warning|2", // two DiskFull occurrences 200 s apart
            $"{Sec(H(5))}|critical|1",
            $"{Sec(H(3))}|critical|1", // the effective severity, raised by escalation
            $"{Sec(H(2))}|warning|1", // started 299 s into the bucket
            $"{Sec(H(1))}|none|1",
            $"{Sec(M(30))}|warning|1",
        ], Format(result.Project("time", "severity", "alerts")));
        Assert.Equal((long)Run(2, "Alerts started").Single("started")!, result.Column("alerts").Sum(v => (long)v!));
    }

    [Fact]
    public void NotificationFailures_CountsAttemptsPerReceiverIntegrationAndOutcome_NotAlerts()
    {
        var result = Run(8, "Notification failures");

        Assert.Equal(
        [
            $"{Sec(H(3))}|oncall|slack|retry|2",
            $"{Sec(M(170))}|oncall|slack|dead|1",
            $"{Sec(H(1))}|team-email|email|retry|1",
            $"{Sec(M(30))}|team-email|email|dead|1", // a digest of three alerts: one failure, not three
            $"{Sec(M(30))}|team-email|email|retry|1",
        ], Format(result.Project("time", "receiver", "integration", "outcome", "failures")));
        var deadInRange = result.Rows.Where(r => (string?)r[result.Index("outcome")] == "dead").Sum(r => (long)r[result.Index("failures")]!);
        Assert.Equal(Run(17, "Dead notifications").Rows.Count, deadInRange);
    }

    [Fact]
    public void CurrentlyFiring_ListsExactlyTheFiringOccurrences_NewestFirst()
    {
        var result = Run(9, "Currently firing");

        Assert.Equal(
        [
            $"{Utc(M(30))}|5|DiskFull|warning|db-1|DiskFull on db-1|NULL|muted by 4|f00dcafe12345678",
            $"{Utc(H(1))}|10|Watchdog||NULL|Watchdog on everything|NULL||0000000000006001",
            $"{Utc(H(2) - S(299))}|3|HighLatency|warning|api-2|HighLatency on api-2|carol||0000000000001002",
            $"{Utc(H(3))}|4|ErrorBudgetBurn|critical|api-1|ErrorBudgetBurn on api-1|NULL||0000000000002001",
            $"{Utc(H(40))}|9|StaleFiring||api-3|StaleFiring on api-3|NULL||0000000000005001",
        ], Format(result.Project("time", "id", "alertname", "severity", "instance", "summary", "acked_by", "inhibited", "fingerprint")));
    }

    [Fact]
    public void TimeToAcknowledge_PerAlertname_FromStartToFirstAcknowledgement()
    {
        var result = Run(10, "Time to acknowledge by alertname");

        Assert.Equal(
        [
            "ErrorBudgetBurn|1|3600.0|3600.0",
            "HighLatency|2|750.0|900.0",
        ], Format(result.Project("alertname", "acknowledged", "mean_seconds", "max_seconds")));
    }

    [Fact]
    public void TimeToResolve_PerAlertname_ResolvedOccurrencesOnly()
    {
        var result = Run(11, "Time to resolve by alertname");

        Assert.Equal(
        [
            "HighLatency|3|3000.0|3600.0",
            "DiskFull|2|1950.0|3600.0",
        ], Format(result.Project("alertname", "resolved", "mean_seconds", "max_seconds")));
    }

    [Fact]
    public void NoisiestAlerts_OrderedByOccurrences()
    {
        var result = Run(12, "Noisiest alerts (top 10)");

        Assert.Equal(
        [
            "HighLatency|4|2|1",
            "DiskFull|3|3|1",
            "ErrorBudgetBurn|1|1|1",
            "Watchdog|1|1|1",
        ], Format(result.Project("alertname", "occurrences", "series", "firing")));
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
    public void RecentAcknowledgements_ShowWhoAndWhen_NewestFirst()
    {
        var result = Run(13, "Recent acknowledgements");

        Assert.Equal(
        [
            $"{Utc(H(1))}|3|carol|taking over|3301.0|firing",
            $"{Utc(H(2) - S(299) - S(900))}|3|bob|on it|900.0|firing",
            $"{Utc(H(2))}|4|alice|known issue|3600.0|firing",
            $"{Utc(H(10) - S(17) - S(600))}|1|alice|looking|600.0|resolved",
        ], Format(result.Project("time", "id", "acked_by", "comment", "seconds_after_start", "status")));
    }

    [Fact]
    public void EscalationsByPolicy_BucketsEscalatedEvents()
    {
        var result = Run(14, "Escalations by policy");

        Assert.Equal(
        [
            $"{Sec(M(170))}|critical-ladder|1",
            $"{Sec(M(150))}|critical-ladder|1",
            $"{Sec(M(110))}|warning-ladder|1",
        ], Format(result.Project("time", "policy", "escalations")));
    }

    [Fact]
    public void RecentEscalations_ShowPolicyStepAndSeverityChange()
    {
        var result = Run(15, "Recent escalations");

        Assert.Equal(
        [
            $"{Utc(M(110))}|3|HighLatency|warning-ladder|0|team-email|NULL|NULL",
            $"{Utc(M(150))}|4|ErrorBudgetBurn|critical-ladder|1|NULL|warning|critical",
            $"{Utc(M(170))}|4|ErrorBudgetBurn|critical-ladder|0|oncall|NULL|NULL",
        ], Format(result.Project("time", "id", "alertname", "policy", "step", "notify", "previous_severity", "new_severity")));
    }

    [Fact]
    public void Deliveries_PerReceiverAndIntegration()
    {
        var result = Run(16, "Deliveries by receiver and integration");

        Assert.Equal(
        [
            "oncall|slack|2|0|1|5",
            "team-email|email|0|1|1|3",
        ], Format(result.Project("receiver", "integration", "sent", "pending", "dead", "attempts")));
    }

    [Fact]
    public void DeadNotificationsTable_ListsTheDeadOnesInTheRange_WithTheirError()
    {
        var result = Run(17, "Dead notifications");

        Assert.Equal(
        [
            $"{Utc(M(30) - S(70))}|3|team-email|email|digest|2|gave up after 2 attempts: 451 4.3.0 mail server busy",
            $"{Utc(M(170) - S(2))}|4|oncall|slack|escalation|1|slack: channel_not_found",
        ], Format(result.Project("time", "id", "receiver", "integration", "kind", "attempts", "last_error")));
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

    private QueryResult Run(int panelId, string title)
    {
        var target = Assert.Single(GrafanaFiles.Targets(GrafanaFiles.AlertHistoryPostgres), t => t.PanelId == panelId);
        Assert.Equal(title, target.PanelTitle);
        return history.Query(GrafanaPostgresMacros.Expand((string)target.Target["rawSql"]!, From, To));
    }

    /// <summary>The UTC time <c>To - beforeTo</c> as <see cref="Format(IEnumerable{object?[]})"/> shows a timestamptz.</summary>
    private static string Utc(TimeSpan beforeTo) => Format((To - beforeTo).UtcDateTime);

    private static string Format(DateTime utc)
    {
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Rows as "a|b|c": integers (bigint, integer, and numeric without a fraction) as integers, float8 with a decimal
    /// point, timestamptz as UTC with milliseconds, NULL for null, so that types show too.
    /// </summary>
    private static List<string> Format(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "NULL",
            double d => d.ToString("0.0###", CultureInfo.InvariantCulture),
            DateTime t => Format(t),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).ToList();
}

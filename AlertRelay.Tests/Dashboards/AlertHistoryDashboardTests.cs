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
public sealed class AlertHistoryDashboardTests(SeededHistory history) : IClassFixture<SeededHistory>
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
    public void FiringNow_CountsEveryFiringOccurrence_WhateverTheRange() =>
        Assert.Equal(5L, Run(1, "Firing now").Single("firing"));

    [Fact]
    public void AlertsStarted_CountsOccurrencesStartedInTheRange() =>
        Assert.Equal(9L, Run(2, "Alerts started").Single("started"));

    [Fact]
    public void MeanTimeToAcknowledge_UsesEachOccurrencesFirstAcknowledgement()
    {
        // 600 s (occurrence 1), 900 s (3: bob first, carol later), 3600 s (4: withdrawn later); 8 is out of range.
        Assert.Equal(1700.0, Run(3, "Mean time to acknowledge").Single("mean_seconds"));
    }

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
        Assert.Equal(Run(2, "Alerts started").Single("started"), result.Column("alerts").Sum(v => (long)v!));
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
            $"{Sec(M(30))}|5|DiskFull|warning|db-1|DiskFull on db-1|NULL|muted by 4|f00dcafe12345678",
            $"{Sec(H(1))}|10|Watchdog||NULL|Watchdog on everything|NULL||0000000000006001",
            $"{Sec(H(2) - S(299))}|3|HighLatency|warning|api-2|HighLatency on api-2|carol||0000000000001002",
            $"{Sec(H(3))}|4|ErrorBudgetBurn|critical|api-1|ErrorBudgetBurn on api-1|NULL||0000000000002001",
            $"{Sec(H(40))}|9|StaleFiring||api-3|StaleFiring on api-3|NULL||0000000000005001",
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

    [Fact]
    public void RecentAcknowledgements_ShowWhoAndWhen_NewestFirst()
    {
        var result = Run(13, "Recent acknowledgements");

        Assert.Equal(
        [
            $"{Sec(H(1))}|3|carol|taking over|3301.0|firing",
            $"{Sec(H(2) - S(299) - S(900))}|3|bob|on it|900.0|firing",
            $"{Sec(H(2))}|4|alice|known issue|3600.0|firing",
            $"{Sec(H(10) - S(17) - S(600))}|1|alice|looking|600.0|resolved",
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
            $"{Sec(M(110))}|3|HighLatency|warning-ladder|0|team-email|NULL|NULL",
            $"{Sec(M(150))}|4|ErrorBudgetBurn|critical-ladder|1|NULL|warning|critical",
            $"{Sec(M(170))}|4|ErrorBudgetBurn|critical-ladder|0|oncall|NULL|NULL",
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
            $"{Sec(M(30) - S(70))}|3|team-email|email|digest|2|gave up after 2 attempts: 451 4.3.0 mail server busy",
            $"{Sec(M(170) - S(2))}|4|oncall|slack|escalation|1|slack: channel_not_found",
        ], Format(result.Project("time", "id", "receiver", "integration", "kind", "attempts", "last_error")));
    }

    private QueryResult Run(int panelId, string title)
    {
        var target = Assert.Single(GrafanaFiles.Targets(GrafanaFiles.AlertHistory), t => t.PanelId == panelId);
        Assert.Equal(title, target.PanelTitle);
        return history.Query(FrserSqliteMacros.Expand((string)target.Target["rawQueryText"]!, From, To));
    }

    /// <summary>Rows as "a|b|c": longs as integers, doubles with a decimal point, NULL for null, so that types show too.</summary>
    private static List<string> Format(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "NULL",
            double d => d.ToString("0.0###", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).ToList();
}

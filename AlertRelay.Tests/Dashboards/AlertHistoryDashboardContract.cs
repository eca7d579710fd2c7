using System.Globalization;
using static AlertRelay.Tests.Dashboards.SeededHistory;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// What each panel of the alert-history dashboards shows over the known history (<see cref="SeededHistory"/>): the same
/// numbers on SQLite (alert-history.json) and PostgreSQL (alert-history-postgres.json). Table panels' times are epoch seconds
/// on SQLite and <c>timestamptz</c> on PostgreSQL (<see cref="Time"/>); time series' times are epoch seconds on both.
/// </summary>
public abstract class AlertHistoryDashboardContract
{
    /// <summary>Runs the query of panel <paramref name="panelId"/> (checking its title) over [From, To], as Grafana runs it.</summary>
    protected abstract QueryResult Run(int panelId, string title);

    /// <summary>The time <c>To - beforeTo</c> as <see cref="Format(IEnumerable{object?[]})"/> shows it in a table panel's time column.</summary>
    protected abstract string Time(TimeSpan beforeTo);

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
            $"{Time(M(30))}|5|DiskFull|warning|db-1|DiskFull on db-1|NULL|muted by 4|f00dcafe12345678",
            $"{Time(H(1))}|10|Watchdog||NULL|Watchdog on everything|NULL||0000000000006001",
            $"{Time(H(2) - S(299))}|3|HighLatency|warning|api-2|HighLatency on api-2|carol||0000000000001002",
            $"{Time(H(3))}|4|ErrorBudgetBurn|critical|api-1|ErrorBudgetBurn on api-1|NULL||0000000000002001",
            $"{Time(H(40))}|9|StaleFiring||api-3|StaleFiring on api-3|NULL||0000000000005001",
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
    public void RecentAcknowledgements_ShowWhoAndWhen_NewestFirst()
    {
        var result = Run(13, "Recent acknowledgements");

        Assert.Equal(
        [
            $"{Time(H(1))}|3|carol|taking over|3301.0|firing",
            $"{Time(H(2) - S(299) - S(900))}|3|bob|on it|900.0|firing",
            $"{Time(H(2))}|4|alice|known issue|3600.0|firing",
            $"{Time(H(10) - S(17) - S(600))}|1|alice|looking|600.0|resolved",
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
            $"{Time(M(110))}|3|HighLatency|warning-ladder|0|team-email|NULL|NULL",
            $"{Time(M(150))}|4|ErrorBudgetBurn|critical-ladder|1|NULL|warning|critical",
            $"{Time(M(170))}|4|ErrorBudgetBurn|critical-ladder|0|oncall|NULL|NULL",
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
            $"{Time(M(30) - S(70))}|3|team-email|email|digest|2|gave up after 2 attempts: 451 4.3.0 mail server busy",
            $"{Time(M(170) - S(2))}|4|oncall|slack|escalation|1|slack: channel_not_found",
        ], Format(result.Project("time", "id", "receiver", "integration", "kind", "attempts", "last_error")));
    }

    protected static string Format(DateTime utc)
    {
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Rows as "a|b|c": integers (bigint, integer, and numeric without a fraction) as integers, float8 with a decimal
    /// point, timestamptz as UTC with milliseconds, NULL for null, so that types show too.
    /// </summary>
    protected static List<string> Format(IEnumerable<object?[]> rows) =>
        rows.Select(r => string.Join("|", r.Select(v => v switch
        {
            null => "NULL",
            double d => d.ToString("0.0###", CultureInfo.InvariantCulture),
            DateTime t => Format(t),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => v.ToString(),
        }))).ToList();
}

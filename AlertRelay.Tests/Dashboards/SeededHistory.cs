using System.Text.Json;
using AlertRelay.Core.History;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlertRelay.Tests.Dashboards;

/// <summary>
/// A real AlertRelay history file (created and migrated by <see cref="HistoryDatabase.Migrate"/> through
/// <see cref="TempDatabase"/>) holding a small, known history: occurrences firing and resolved with several
/// severities, first/repeated/withdrawn acknowledgements (through <see cref="AcknowledgementStore"/>), escalations,
/// an inhibition, and outbox notifications sent, retried, pending and dead, with the events AlertRelay writes for
/// each (through <see cref="EventLog"/>). Everything is placed relative to <see cref="To"/>; the dashboard range is
/// the 24 hours before it, and a few rows lie outside it on purpose.
/// </summary>
public sealed class SeededHistory : IAsyncLifetime
{
    /// <summary>The end of the dashboard's time range (aligned to 5 minutes, as the 300 s buckets are).</summary>
    public static readonly DateTimeOffset To = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset From = To.AddHours(-24);

    public TempDatabase Db { get; } = new();

    public AcknowledgementStore Acks => new(Db.Database);

    public static long Ms(TimeSpan beforeTo) => (To - beforeTo).ToUnixTimeMilliseconds();

    /// <summary>Epoch seconds (what the generated columns and the time buckets hold) of <c>To - beforeTo</c>.</summary>
    public static long Sec(TimeSpan beforeTo) => (To - beforeTo).ToUnixTimeSeconds();

    public static TimeSpan H(double hours) => TimeSpan.FromHours(hours);

    public static TimeSpan M(double minutes) => TimeSpan.FromMinutes(minutes);

    public static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Occurrence 5's fingerprint: a negative signed 64-bit value, as half of Alertmanager's are.</summary>
    public const ulong DiskFullFingerprint = 0xF00DCAFE12345678;

    public async Task InitializeAsync()
    {
        // Occurrences (id, fingerprint, alertname, severity label, starts before To, instance).
        await Occurrence(1, 0x1001, "HighLatency", "critical", H(10) - S(17), "api-1");
        await Occurrence(2, 0x1001, "HighLatency", "critical", H(5), "api-1", refired: true);
        await Occurrence(3, 0x1002, "HighLatency", "warning", H(2) - S(299), "api-2");
        await Occurrence(4, 0x2001, "ErrorBudgetBurn", "warning", H(3), "api-1");
        await Occurrence(5, unchecked((long)DiskFullFingerprint), "DiskFull", "warning", M(30), "db-1");
        await Occurrence(6, 0x3002, "DiskFull", "warning", H(8), "db-2");
        await Occurrence(7, 0x3003, "DiskFull", "warning", H(8) - S(200), "db-3");
        await Occurrence(8, 0x4001, "OldAlert", "info", H(30), "api-1");
        await Occurrence(9, 0x5001, "StaleFiring", "", H(40), "api-3");
        await Occurrence(10, 0x6001, "Watchdog", "", H(1), null);
        await Occurrence(11, 0x1002, "HighLatency", "warning", H(20), "api-2");

        // Occurrence 5 is muted by occurrence 4.
        await Execute("UPDATE alert_occurrences SET inhibited_by = 4 WHERE id = 5");
        await Event(5, M(30) - S(1), EventKinds.Inhibited, new { source = 4, sourceFingerprint = "0000000000002001", rule = "inhibit_rules[0]" });

        // Acknowledgements, through AlertRelay's store (the occurrences are still firing at that time).
        await Ack(1, "alice", "looking", H(10) - S(17) - S(600));
        await Ack(3, "bob", "on it", H(2) - S(299) - S(900));
        await Ack(3, "carol", "taking over", H(1)); // replaces bob's: acked_at_ms moves, the first ack stays in the events
        await Ack(4, "alice", "known issue", H(2));
        Assert.Equal(AckOutcome.Done, await Acks.UnacknowledgeAsync(4, "alice", To - M(90), CancellationToken.None));
        await Ack(8, "dave", null, H(30) - M(30));

        // Escalations: occurrence 4's ladder ran two steps (the second raised it to critical), 3 one step, 8 long ago.
        await Execute(
            "INSERT INTO escalations (occurrence_id, policy, firing_since_ms, steps_done, next_due_ms, updated_at_ms) VALUES (4, 'critical-ladder', @S, 2, NULL, @U), (3, 'warning-ladder', @S3, 1, NULL, @U3), (8, 'critical-ladder', @S8, 1, NULL, @U8)",
            new { S = Ms(H(3)), U = Ms(M(150)), S3 = Ms(H(2) - S(299)), U3 = Ms(M(110)), S8 = Ms(H(30)), U8 = Ms(H(30) - M(15)) });
        await Event(4, M(170), EventKinds.Escalated, new { policy = "critical-ladder", step = 0, after = "10m", notify = "oncall", setSeverity = (string?)null, previousSeverity = (string?)null });
        await Event(4, M(150), EventKinds.Escalated, new { policy = "critical-ladder", step = 1, after = "30m", notify = (string?)null, setSeverity = "critical", previousSeverity = "warning" });
        await Execute("UPDATE alert_occurrences SET severity = 'critical' WHERE id = 4");
        await Event(3, M(110), EventKinds.Escalated, new { policy = "warning-ladder", step = 0, after = "5m", notify = "team-email", setSeverity = (string?)null, previousSeverity = (string?)null });
        await Event(8, H(30) - M(15), EventKinds.Escalated, new { policy = "critical-ladder", step = 0, after = "10m", notify = "oncall", setSeverity = (string?)null, previousSeverity = (string?)null });

        // Resolutions (occurrence, how long after its start).
        await Resolve(1, H(10) - S(17), S(1800));
        await Resolve(2, H(5), S(3600));
        await Resolve(6, H(8), S(3600));
        await Resolve(7, H(8) - S(200), S(300));
        await Resolve(8, H(30), S(3600));
        await Resolve(11, H(20), S(3600));

        // The outbox.
        await Notification(1, "oncall", "slack", "firing", null, "sent", 1, H(10) - S(20), sentBefore: H(10) - S(21), lastError: null, occurrences: [1]);
        await Delivered(1, "oncall", "slack", "firing", 1, H(10) - S(21), [1]);

        await Notification(2, "oncall", "slack", "firing", null, "sent", 3, H(3) - S(5), sentBefore: H(3) - S(100), lastError: null, occurrences: [4]);
        await Retried(2, "oncall", "slack", "firing", 1, H(3) - S(10), [4]);
        await Retried(2, "oncall", "slack", "firing", 2, H(3) - S(40), [4]);
        await Delivered(2, "oncall", "slack", "firing", 3, H(3) - S(100), [4]);

        // A digest about three alerts: one retry and one give-up, each logged once per alert.
        await Notification(3, "team-email", "email", "digest", "3", "dead", 2, M(30) - S(5), updatedBefore: M(30) - S(70),
            lastError: "gave up after 2 attempts: 451 4.3.0 mail server busy", occurrences: [3, 5, 10]);
        await Retried(3, "team-email", "email", "digest", 1, M(30) - S(10), [3, 5, 10]);
        await Failed(3, "team-email", "email", "digest", 2, M(30) - S(70), "gave up after 2 attempts: 451 4.3.0 mail server busy", [3, 5, 10]);

        await Notification(4, "oncall", "slack", "escalation", "critical-ladder step 0", "dead", 1, M(170), updatedBefore: M(170) - S(2),
            lastError: "slack: channel_not_found", occurrences: [4]);
        await Failed(4, "oncall", "slack", "escalation", 1, M(170) - S(2), "slack: channel_not_found", [4]);

        // Dead long before the range: counted by "Dead notifications" (dead now), not by the in-range panels.
        await Notification(5, "oncall", "slack", "firing", null, "dead", 1, H(30), updatedBefore: H(30) - S(60), lastError: "slack: invalid_auth", occurrences: [8]);
        await Failed(5, "oncall", "slack", "firing", 1, H(30) - S(60), "slack: invalid_auth", [8]);

        await Notification(6, "team-email", "email", "firing", null, "pending", 1, H(1) - S(1), updatedBefore: H(1) - S(5), lastError: "connection refused", occurrences: [10]);
        await Retried(6, "team-email", "email", "firing", 1, H(1) - S(5), [10]);
    }

    public Task DisposeAsync()
    {
        Db.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="sql"/> (already expanded) on a read-only connection, as the provisioned datasource (mode=ro) does.</summary>
    public QueryResult Query(string sql) => QueryFile(Db.Path, sql);

    /// <summary>Runs <paramref name="sql"/> on the history file at <paramref name="path"/>, opened read-only.</summary>
    public static QueryResult QueryFile(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return QueryResult.Read(reader);
    }

    private async Task Occurrence(long id, long fingerprint, string alertname, string severity, TimeSpan startBefore, string? instance, bool refired = false)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = alertname, ["job"] = "ecommerce-api" };
        if (severity != "")
        {
            labels["severity"] = severity;
        }

        if (instance is not null)
        {
            labels["instance"] = instance;
        }

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["summary"] = $"{alertname} on {instance ?? "everything"}" };
        var startMs = Ms(startBefore);
        await Execute(
            """
            INSERT INTO alert_occurrences (id, fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                generator_url, receiver, group_key, external_url, received_at_ms, updated_at_ms, receivers)
            VALUES (@Id, @Fingerprint, @StartMs, NULL, 'firing', @Alertname, @Severity, @Labels, @Annotations,
                'http://prometheus:9090/graph', 'oncall', '{}:{alertname="' || @Alertname || '"}', 'http://alertmanager:9093', @ReceivedMs, @ReceivedMs, '["oncall"]')
            """,
            new
            {
                Id = id, Fingerprint = fingerprint, StartMs = startMs, Alertname = alertname, Severity = severity,
                Labels = JsonSerializer.Serialize(labels), Annotations = JsonSerializer.Serialize(annotations), ReceivedMs = startMs + 1000,
            });
        await Event(id, startBefore - S(1), refired ? EventKinds.Refired : EventKinds.Received, new { receiver = "oncall", groupKey = $"{{}}:{{alertname=\"{alertname}\"}}" });
        await Event(id, startBefore - S(1), EventKinds.Routed, new { receivers = new[] { "oncall" } });
    }

    private async Task Ack(long id, string by, string? comment, TimeSpan atBefore) =>
        Assert.Equal(AckOutcome.Done, await Acks.AcknowledgeAsync(id, by, comment, null, To - atBefore, CancellationToken.None));

    private async Task Resolve(long id, TimeSpan startBefore, TimeSpan lasted)
    {
        var endsBefore = startBefore - lasted;
        await Execute("UPDATE alert_occurrences SET status = 'resolved', ends_at_ms = @End, updated_at_ms = @End + 1000 WHERE id = @Id", new { Id = id, End = Ms(endsBefore) });
        await Event(id, endsBefore - S(1), EventKinds.Resolved, new { endsAt = (To - endsBefore).ToString("O") });
    }

    private Task Notification(long id, string receiver, string integration, string kind, string? detail, string status, int attempts, TimeSpan createdBefore,
        TimeSpan? sentBefore = null, TimeSpan? updatedBefore = null, string? lastError = null, long[]? occurrences = null) =>
        Execute(
            """
            INSERT INTO notifications (id, receiver, integration, integration_index, kind, detail, status, attempts, next_attempt_ms,
                claimed_until_ms, last_error, delivery_ref, created_at_ms, sent_at_ms, updated_at_ms)
            VALUES (@Id, @Receiver, @Integration, 0, @Kind, @Detail, @Status, @Attempts, @Next, NULL, @LastError, NULL, @Created, @Sent, @Updated);
            INSERT INTO notification_alerts (notification_id, occurrence_id) SELECT @Id, value FROM json_each(@Occurrences);
            """,
            new
            {
                Id = id, Receiver = receiver, Integration = integration, Kind = kind, Detail = detail, Status = status, Attempts = attempts,
                Next = Ms((updatedBefore ?? sentBefore ?? createdBefore) - S(60)), LastError = lastError, Created = Ms(createdBefore),
                Sent = sentBefore is { } s ? Ms(s) : (long?)null, Updated = Ms(updatedBefore ?? sentBefore ?? createdBefore),
                Occurrences = JsonSerializer.Serialize(occurrences ?? []),
            });

    private async Task Delivered(long notification, string receiver, string integration, string kind, int attempt, TimeSpan atBefore, long[] occurrences)
    {
        foreach (var occurrence in occurrences)
        {
            await Event(occurrence, atBefore, EventKinds.Notified, new { notification, receiver, integration, kind, attempt, latencyMs = 1500 });
        }
    }

    private async Task Retried(long notification, string receiver, string integration, string kind, int attempt, TimeSpan atBefore, long[] occurrences)
    {
        foreach (var occurrence in occurrences)
        {
            await Event(occurrence, atBefore, EventKinds.NotificationRetry, new
            {
                notification, receiver, integration, kind, attempt, reason = "HTTP 503", nextAttemptAt = (To - atBefore + S(30)).ToString("O"),
            });
        }
    }

    private async Task Failed(long notification, string receiver, string integration, string kind, int attempt, TimeSpan atBefore, string reason, long[] occurrences)
    {
        foreach (var occurrence in occurrences)
        {
            await Event(occurrence, atBefore, EventKinds.NotificationFailed, new { notification, receiver, integration, kind, attempt, reason });
        }
    }

    /// <summary>Appends an event with AlertRelay's own <see cref="EventLog"/> (same JSON as production).</summary>
    private async Task Event(long occurrence, TimeSpan atBefore, string kind, object detail)
    {
        await using var connection = Db.Database.Open();
        await using var transaction = connection.BeginTransaction();
        await EventLog.AddAsync(connection, transaction, occurrence, kind, Ms(atBefore), detail, CancellationToken.None);
        transaction.Commit();
    }

    private async Task Execute(string sql, object? parameters = null)
    {
        await using var connection = Db.Database.Open();
        await connection.ExecuteAsync(sql, parameters);
    }
}

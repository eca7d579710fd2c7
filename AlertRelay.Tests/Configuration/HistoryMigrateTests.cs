using System.Data.Common;
using System.Diagnostics;
using System.Text.Json.Nodes;
using AlertRelay.Api.Cli;
using AlertRelay.Core.Alerts;
using AlertRelay.Core.Configuration;
using AlertRelay.Core.Dedup;
using AlertRelay.Core.History;
using AlertRelay.Core.Ingest;
using AlertRelay.Core.Notify;
using AlertRelay.Core.Pipeline;
using AlertRelay.Core.Postgres;
using AlertRelay.Tests.TestData;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace AlertRelay.Tests.Configuration;

/// <summary>
/// <c>history migrate --to postgres</c> (<see cref="CliCommands"/>, <see cref="SqliteToPostgres"/>), run in-process on a SQLite history
/// seeded through the real ingest path and a fresh database of the test run's PostgreSQL cluster.
/// </summary>
public sealed class HistoryMigrateTests(ITestOutputHelper log) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 22, 33, 10, TimeSpan.Zero);

    /// <summary>A receiver with an integration (so that alerts queue notifications), an inhibition and an escalation ladder.</summary>
    private static readonly RelayConfig Config = OncallConfig.Load("""
        inhibit_rules:
          - source_matchers: ['alertname="NodeDown"']
            target_matchers: ['severity="warning"']
            equal: [instance]
        escalations:
          - name: critical-ladder
            matchers: ['severity="critical"']
            steps: [{after: 5m, notify: oncall}, {after: 15m, notify: oncall, set_severity: page}]
        """);

    /// <summary>The SQLite tables, parents first, and the order their rows are compared in.</summary>
    private static readonly (string Table, string OrderBy)[] Tables =
    [
        ("alert_occurrences", "id"), ("alert_events", "id"), ("escalations", "occurrence_id"), ("notifications", "id"),
        ("notification_alerts", "notification_id, occurrence_id"),
    ];

    private static readonly HashSet<string> JsonColumns = ["labels", "annotations", "receivers"];

    private readonly TempDatabase _sqlite = new();
    private readonly FakeTimeProvider _time = new(T0);
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();
    private PostgresCluster _cluster = null!;
    private string _target = null!;

    public async Task InitializeAsync()
    {
        _cluster = await PostgresCluster.Shared;
        _target = await _cluster.CreateDatabaseAsync("migrate");
    }

    public Task DisposeAsync()
    {
        _sqlite.Dispose();
        return Task.CompletedTask;
    }

    private int Run(params string[] args)
    {
        Assert.True(CliCommands.TryRun(args, _output, _error, out var exitCode));
        return exitCode;
    }

    private int Migrate(string? db = null, string? connection = null) =>
        Run("history", "migrate", "--to", "postgres", "--db", db ?? _sqlite.Path, "--connection", connection ?? _target);

    private string Output => _output.ToString().ReplaceLineEndings("\n");

    private string Error => _error.ToString().ReplaceLineEndings("\n");

    private static Alert Firing(string alertname, string severity, string instance, DateTimeOffset startsAt, LabelSet? annotations = null)
    {
        var labels = LabelSet.From(("alertname", alertname), ("severity", severity), ("instance", instance));
        return new Alert(Fingerprint.Of(labels), AlertStatus.Firing, labels, annotations ?? LabelSet.Empty, startsAt, null, "http://prometheus/graph?g0.expr=up");
    }

    private static WebhookMessage Message(params Alert[] alerts) =>
        new("relay", AlertStatus.Firing, "{}:{alertname=\"x\"}", 0, LabelSet.Empty, LabelSet.Empty, LabelSet.Empty, "http://alertmanager:9093", alerts);

    /// <summary>
    /// A small history through AlertRelay's own writer: a firing alert resolved and re-fired with a new startsAt (two occurrences,
    /// escalation ladders, notifications), a group of two, an inhibited alert, an acknowledged one, and annotations JSON must keep.
    /// </summary>
    private async Task SeedAsync()
    {
        await using (var running = new RunningWriter(_sqlite.CreateWriter(_time, config: Config)))
        {
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringSingle));
            _time.Advance(TimeSpan.FromSeconds(20));
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.ResolvedSingle));
            _time.Advance(TimeSpan.FromSeconds(10));
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));
            _time.Advance(TimeSpan.FromSeconds(10));
            await running.SubmitAsync(Fixtures.Bytes(Fixtures.FiringGroupOfTwo));
            _time.Advance(TimeSpan.FromSeconds(10));
            await running.SubmitAsync(Message(Firing("NodeDown", "critical", "db-1", T0)));
            await running.SubmitAsync(Message(Firing("DiskFull", "warning", "db-1", T0.AddSeconds(30),
                LabelSet.From(("summary", "disk \"/\" 95 % full — ünïcödé, \\ and a\nnewline"), ("runbook_url", "https://runbooks/disk?x=1&y=2")))));
        }

        var refired = Assert.Single((await _sqlite.Queries.ListAsync(new AlertQuery { Alertname = "HighErrorRate", Status = AlertStatus.Firing }, default)).Items);
        Assert.Equal(AckOutcome.Done, await new AcknowledgementStore(_sqlite.Database).AcknowledgeAsync(
            refired.Id, "alice", "looking", T0.AddHours(1), _time.GetUtcNow(), default));

        await using var connection = _sqlite.Database.Open();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences WHERE inhibited_by IS NOT NULL") >= 1);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM escalations") >= 2);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM notification_alerts") >= 3);
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences WHERE status = 'resolved'") >= 1);
    }

    [Fact]
    public async Task Migrate_CopiesEveryTableRowByRow_KeepingIdsJsonAndTimes()
    {
        await SeedAsync();

        Assert.Equal(0, Migrate());

        Assert.Empty(Error);
        await using var sqlite = _sqlite.Database.Open();
        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        foreach (var (table, orderBy) in Tables)
        {
            var columns = (await sqlite.QueryAsync<string>($"SELECT name FROM pragma_table_xinfo('{table}') WHERE hidden = 0")).ToList();
            var expected = await RowsAsync(sqlite, $"SELECT {string.Join(", ", columns)} FROM {table} ORDER BY {orderBy}");
            var actual = await RowsAsync(pg, $"SELECT {string.Join(", ", columns.Select(c => JsonColumns.Contains(c) ? $"{c}::text AS {c}" : c))} FROM {table} ORDER BY {orderBy}");

            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, actual.Count);
            for (var row = 0; row < expected.Count; row++)
            {
                for (var column = 0; column < columns.Count; column++)
                {
                    AssertSameValue($"{table}[{row}].{columns[column]}", JsonColumns.Contains(columns[column]), expected[row][column], actual[row][column]);
                }
            }

            Assert.Matches($@"\n  {table} +{expected.Count}\n", Output);
        }

        // PostgreSQL's generated time columns (what Grafana reads) agree with the copied milliseconds.
        foreach (var (id, startsAtMs, startsAt, endsAtMs, endsAt) in await pg.QueryAsync<(long, long, DateTime, long?, DateTime?)>(
                     "SELECT id, starts_at_ms, starts_at, ends_at_ms, ends_at FROM alert_occurrences"))
        {
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(startsAtMs).UtcDateTime, startsAt);
            Assert.Equal(endsAtMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null, endsAt);
        }

        // The stats rollup is not copied but counted again from the copied occurrences: the same as the file's.
        const string rollup = "SELECT hour, status, severity, occurrences, resolve_ms_sum FROM alert_stats_hourly WHERE occurrences <> 0 ORDER BY 1, 2, 3";
        var sqliteRollup = (await sqlite.QueryAsync<(long, string, string, long, long)>(rollup)).ToList();
        Assert.NotEmpty(sqliteRollup);
        Assert.Equal(sqliteRollup, await pg.QueryAsync<(long, string, string, long, long)>(rollup));

        // The copy is one tick of the ingest clock, and every copied occurrence carries it.
        Assert.Equal(1, await pg.ExecuteScalarAsync<long>("SELECT seq FROM ingest_clock"));
        Assert.Equal([1L], await pg.QueryAsync<long>("SELECT DISTINCT change_seq FROM alert_occurrences"));
        Assert.Equal(PostgresMigrations.All[^1].Version, await pg.ExecuteScalarAsync<int>("SELECT max(version) FROM schema_migrations"));
    }

    [Fact]
    public async Task Migrate_LeavesTheSequencesAfterTheCopiedIds_SoThatIngestOnPostgresContinuesTheHistory()
    {
        await SeedAsync();
        Assert.Equal(0, Migrate());
        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        var (occurrences, maxOccurrence) = await pg.QuerySingleAsync<(long, long)>("SELECT count(*), max(id) FROM alert_occurrences");
        var maxEvent = await pg.ExecuteScalarAsync<long>("SELECT max(id) FROM alert_events");
        var maxNotification = await pg.ExecuteScalarAsync<long>("SELECT max(id) FROM notifications");

        _time.Advance(TimeSpan.FromMinutes(1));
        using var database = new PostgresDatabase(_target, 8, 5, NullLogger<PostgresDatabase>.Instance);
        var options = Microsoft.Extensions.Options.Options.Create(new IngestOptions());
        var writer = new IngestWriter(new PostgresIngestStore(database), new IngestState(new IdentityIndex()),
            RelayConfigProvider.Fixed(Config, _time, NullLogger.Instance), new OutboxSignal(), _time, options,
            Microsoft.Extensions.Options.Options.Create(new NotifyOptions()), NullLogger<IngestWriter>.Instance);
        await using (var running = new RunningWriter(writer))
        {
            // Still firing in the copied history: the same occurrence, not a new one.
            var again = await running.SubmitAsync(Fixtures.Bytes(Fixtures.RefiredNewStartsAt));
            Assert.Equal((1, 0, 1), (again.Alerts, again.Created, again.Duplicates));

            var fresh = await running.SubmitAsync(Message(Firing("BrandNew", "critical", "web-9", _time.GetUtcNow())));
            Assert.Equal(1, fresh.Created);
        }

        Assert.Equal(occurrences + 1, await pg.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences"));
        var id = await pg.ExecuteScalarAsync<long>("SELECT id FROM alert_occurrences WHERE alertname = 'BrandNew'");
        Assert.True(id > maxOccurrence, $"new occurrence id {id} should follow the copied ones (max {maxOccurrence})");
        Assert.True(await pg.ExecuteScalarAsync<long>("SELECT min(id) FROM alert_events WHERE occurrence_id = @id", new { id }) > maxEvent);
        Assert.True(await pg.ExecuteScalarAsync<long>(
            "SELECT min(notification_id) FROM notification_alerts WHERE occurrence_id = @id", new { id }) > maxNotification);
    }

    [Fact]
    public async Task Migrate_Refuses_WhenTheTargetAlreadyHoldsAHistory_AndWritesNothing()
    {
        await SeedAsync();
        Assert.Equal(0, Migrate());
        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        var before = await CountsAsync(pg);
        _output.GetStringBuilder().Clear();

        Assert.Equal(CliCommands.Failed, Migrate());

        var message = Assert.Single(Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("history migrate failed: ", message, StringComparison.Ordinal);
        Assert.Contains("already holds a history", message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", message, StringComparison.Ordinal);
        Assert.Empty(Output);
        Assert.Equal(before, await CountsAsync(pg));
        Assert.Equal(1, await pg.ExecuteScalarAsync<long>("SELECT seq FROM ingest_clock"));
    }

    [Fact]
    public async Task Migrate_CopiesACommittedSnapshot_WhileAnotherConnectionIsWritingToTheFile()
    {
        await SeedAsync();
        await using var writing = _sqlite.Database.Open();
        await using var transaction = writing.BeginTransaction(deferred: false);
        var committed = await writing.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences", transaction: transaction);
        await writing.ExecuteAsync(
            "INSERT INTO alert_occurrences (fingerprint, starts_at_ms, status, labels, annotations, received_at_ms, updated_at_ms) VALUES (42, 1, 'firing', '{}', '{}', 1, 1)",
            transaction: transaction);

        Assert.Equal(0, Migrate());

        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        Assert.Equal(committed, await pg.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences"));
    }

    /// <summary>A command line that fails before PostgreSQL is written to: the exit code, and what its one line of error says.</summary>
    public sealed record FailureCase(string Name, string[] Args, int ExitCode, string[] Messages)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<FailureCase> Failures() =>
    [
        new("unreachable server", ["--connection", $"Host=127.0.0.1;Port={FreePort.Get()};Username=postgres;Database=x;Timeout=3;Password=s3cret"],
            CliCommands.Failed, ["history migrate failed: --connection: cannot connect to postgres://postgres@127.0.0.1:"]),
        new("not a connection string", ["--connection", "this is not a connection string"],
            CliCommands.Failed, ["history migrate failed: --connection: not a valid PostgreSQL connection string"]),
        new("unknown keyword", ["--connection", "Hots=127.0.0.1"],
            CliCommands.Failed, ["history migrate failed: --connection: not a valid PostgreSQL connection string"]),
        new("no host", ["--connection", "Database=alertrelay;Username=postgres"],
            CliCommands.Failed, ["history migrate failed: --connection: the PostgreSQL connection string names no Host"]),
        new("no such database", ["--connection", "{cluster}/no_such_database"],
            CliCommands.Failed, ["history migrate failed: --connection: cannot connect to postgres://postgres@127.0.0.1:", "no_such_database"]),
        new("missing connection file", ["--connection-file", "/nonexistent/alertrelay-pg.secret"],
            CliCommands.Failed, ["history migrate failed: --connection-file: no such file"]),
        new("missing SQLite file", ["--db", "/nonexistent/alertrelay.db", "--connection", "{target}"],
            CliCommands.Failed, ["history migrate failed: no history database at /nonexistent/alertrelay.db"]),
        new("SQLite file of an older schema", ["--db", "{schema 6}", "--connection", "{target}"],
            CliCommands.Failed, ["has schema version 6, older than this build's", "start this AlertRelay on it once"]),
        new("SQLite file that is no history", ["--db", "{schema 0}", "--connection", "{target}"],
            CliCommands.Failed, ["is not an AlertRelay history"]),
        new("no --to", ["--connection", "{target}"], CliCommands.UsageError, ["error: history migrate needs --to postgres"]),
        new("--to mysql", ["--to", "mysql", "--connection", "{target}"], CliCommands.UsageError, ["error: history migrate: --to must be postgres, not 'mysql'"]),
        new("no connection", ["--to", "postgres"], CliCommands.UsageError, ["error: history migrate needs one of --connection STRING or --connection-file FILE"]),
        new("both connections", ["--to", "postgres", "--connection", "{target}", "--connection-file", "x"], CliCommands.UsageError,
            ["error: history migrate needs one of --connection STRING or --connection-file FILE"]),
        new("unknown option", ["--to", "postgres", "--connection", "{target}", "--force"], CliCommands.UsageError, ["error: history migrate: unexpected '--force'"]),
    ];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Migrate_FailsWithOneLine_AndLeavesTheTargetUntouched(FailureCase testCase)
    {
        await SeedAsync();
        var args = testCase.Args.Select(a => a
            .Replace("{target}", _target, StringComparison.Ordinal)
            .Replace("{cluster}/no_such_database", _cluster.ConnectionString("no_such_database"), StringComparison.Ordinal)).ToList();
        foreach (var version in new[] { 0, 6 })
        {
            if (args.IndexOf($"{{schema {version}}}") is var index and >= 0)
            {
                args[index] = Path.Combine(_sqlite.Directory, $"schema-{version}.db");
                await using var other = new SqliteConnection($"Data Source={args[index]};Pooling=false");
                await other.OpenAsync();
                await other.ExecuteAsync($"CREATE TABLE t (x INTEGER); PRAGMA user_version = {version};");
            }
        }

        if (!args.Contains("--to") && testCase.ExitCode != CliCommands.UsageError)
        {
            args.InsertRange(0, ["--to", "postgres"]);
        }

        if (!args.Contains("--db"))
        {
            args.AddRange(["--db", _sqlite.Path]);
        }

        Assert.Equal(testCase.ExitCode, Run(["history", "migrate", .. args]));

        var firstLine = Error.Split('\n')[0];
        Assert.All(testCase.Messages, expected => Assert.Contains(expected, firstLine, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", Error, StringComparison.Ordinal);
        Assert.Empty(Output);
        if (testCase.ExitCode == CliCommands.Failed)
        {
            Assert.Single(Error.TrimEnd('\n').Split('\n'));
        }

        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        Assert.Equal(0, await pg.ExecuteScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Migrate_ReadsTheConnectionStringFromAFile_WhenGivenConnectionFile()
    {
        await SeedAsync();
        var secret = Path.Combine(_sqlite.Directory, "pg.secret");
        await File.WriteAllTextAsync(secret, _target + "\n");

        Assert.Equal(0, Run("history", "migrate", "--to=postgres", $"--db={_sqlite.Path}", "--connection-file", secret));

        Assert.Contains("Migrated ", Output, StringComparison.Ordinal);
        await using var pg = new NpgsqlConnection(_target);
        await pg.OpenAsync();
        Assert.True(await pg.ExecuteScalarAsync<long>("SELECT count(*) FROM alert_occurrences") > 0);
    }

    [Fact]
    public void Help_ListsHistoryMigrate()
    {
        Assert.Equal(0, Run("--help"));

        Assert.Contains("history migrate --to postgres [--db PATH] (--connection STRING | --connection-file FILE)", Output, StringComparison.Ordinal);
    }

    /// <summary>A timing figure, not a benchmark: 20,000 occurrences (two events each, a notification per ten) inserted with SQL, then migrated.</summary>
    [Fact]
    public async Task Migrate_CopiesTwentyThousandOccurrences_AndPrintsHowLongItTook()
    {
        const int count = 20_000;
        await using (var connection = _sqlite.Database.Open())
        await using (var transaction = connection.BeginTransaction())
        {
            await connection.ExecuteAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count)
                INSERT INTO alert_occurrences (id, fingerprint, starts_at_ms, ends_at_ms, status, alertname, severity, labels, annotations,
                                               receiver, group_key, received_at_ms, updated_at_ms, receivers)
                SELECT i, i * 7919, 1764000000000 + i * 1000, CASE WHEN i % 3 = 0 THEN 1764000000000 + i * 1000 + 60000 END,
                       CASE WHEN i % 3 = 0 THEN 'resolved' ELSE 'firing' END, 'Load' || (i % 50), 'warning',
                       json_object('alertname', 'Load' || (i % 50), 'instance', 'host-' || i, 'severity', 'warning'),
                       json_object('summary', 'load is high on host-' || i), 'relay', '{}:{}', 1764000000000 + i * 1000, 1764000000000 + i * 1000, '["oncall"]'
                FROM n;
                INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) SELECT id, starts_at_ms, 'received', NULL FROM alert_occurrences;
                INSERT INTO alert_events (occurrence_id, at_ms, kind, detail) SELECT id, starts_at_ms, 'routed', '{"receivers":["oncall"]}' FROM alert_occurrences;
                INSERT INTO notifications (id, receiver, integration, integration_index, kind, status, next_attempt_ms, created_at_ms, updated_at_ms)
                SELECT id / 10, 'oncall', 'slack', 0, 'firing', 'sent', starts_at_ms, starts_at_ms, starts_at_ms FROM alert_occurrences WHERE id % 10 = 0;
                INSERT INTO notification_alerts (notification_id, occurrence_id) SELECT id / 10, id FROM alert_occurrences WHERE id % 10 = 0;
                """, new { count }, transaction);
            await transaction.CommitAsync();
        }

        var started = Stopwatch.GetTimestamp();
        Assert.Equal(0, Migrate());
        var elapsed = Stopwatch.GetElapsedTime(started);

        log.WriteLine($"history migrate: {count} occurrences, {2 * count} events, {count / 10} notifications in {elapsed.TotalMilliseconds:0} ms");
        log.WriteLine(Output);
        Assert.Matches($@"\n  alert_occurrences +{count}\n", Output);
        Assert.Matches($@"\n  alert_events +{2 * count}\n", Output);
    }

    private static async Task<Dictionary<string, long>> CountsAsync(NpgsqlConnection pg)
    {
        var counts = new Dictionary<string, long>();
        foreach (var (table, _) in Tables)
        {
            counts[table] = await pg.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }

    private static async Task<List<object?[]>> RowsAsync(DbConnection connection, string sql)
    {
        var rows = new List<object?[]>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    private static void AssertSameValue(string where, bool json, object? expected, object? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{where}: {expected ?? "NULL"} in SQLite, {actual ?? "NULL"} in PostgreSQL");
        }
        else if (json)
        {
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse((string)expected), JsonNode.Parse((string)actual)), $"{where}: {expected} in SQLite, {actual} in PostgreSQL");
        }
        else if (expected is long number)
        {
            Assert.True(number == Convert.ToInt64(actual), $"{where}: {expected} in SQLite, {actual} in PostgreSQL");
        }
        else
        {
            Assert.True(Equals(expected, actual), $"{where}: {expected} in SQLite, {actual} in PostgreSQL");
        }
    }
}

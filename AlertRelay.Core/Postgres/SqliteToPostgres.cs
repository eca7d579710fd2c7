using AlertRelay.Core.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace AlertRelay.Core.Postgres;

/// <summary>
/// Moves a SQLite history into an empty PostgreSQL database: brings the target's schema up to date, then copies every table with its
/// ids (binary COPY) from one read snapshot of the file, in one PostgreSQL transaction (all or nothing), and sets the id sequences
/// past the copied ids. The file is opened read-only: AlertRelay may keep writing to it meanwhile (what it writes after the snapshot
/// is not copied).
/// </summary>
public static class SqliteToPostgres
{
    // The columns both engines share, in PostgreSQL's types; the generated time columns are left out (PostgreSQL computes them),
    // and so is alert_occurrences.change_seq (PostgreSQL only: the migration's ingest clock tick, written by CopyTable).
    private static readonly TableCopy[] Tables =
    [
        new("alert_occurrences", "id",
        [
            new("id", NpgsqlDbType.Bigint), new("fingerprint", NpgsqlDbType.Bigint), new("starts_at_ms", NpgsqlDbType.Bigint),
            new("ends_at_ms", NpgsqlDbType.Bigint), new("status", NpgsqlDbType.Text), new("alertname", NpgsqlDbType.Text),
            new("severity", NpgsqlDbType.Text), new("labels", NpgsqlDbType.Jsonb), new("annotations", NpgsqlDbType.Jsonb),
            new("generator_url", NpgsqlDbType.Text), new("receiver", NpgsqlDbType.Text), new("group_key", NpgsqlDbType.Text),
            new("external_url", NpgsqlDbType.Text), new("received_at_ms", NpgsqlDbType.Bigint), new("updated_at_ms", NpgsqlDbType.Bigint),
            new("receivers", NpgsqlDbType.Jsonb), new("inhibited_by", NpgsqlDbType.Bigint), new("acked_by", NpgsqlDbType.Text),
            new("ack_comment", NpgsqlDbType.Text), new("acked_at_ms", NpgsqlDbType.Bigint), new("ack_expires_at_ms", NpgsqlDbType.Bigint),
            new("reopen_due_ms", NpgsqlDbType.Bigint), new("acked_via", NpgsqlDbType.Text), new("acked_by_id", NpgsqlDbType.Text),
            new("silence_id", NpgsqlDbType.Text), new("silenced_by", NpgsqlDbType.Text), new("silenced_at_ms", NpgsqlDbType.Bigint),
            new("silence_ends_at_ms", NpgsqlDbType.Bigint),
        ], ChangeSeq: true),
        new("alert_events", "id",
        [
            new("id", NpgsqlDbType.Bigint), new("occurrence_id", NpgsqlDbType.Bigint), new("at_ms", NpgsqlDbType.Bigint),
            new("kind", NpgsqlDbType.Text), new("detail", NpgsqlDbType.Text),
        ]),
        new("escalations", "occurrence_id",
        [
            new("occurrence_id", NpgsqlDbType.Bigint), new("policy", NpgsqlDbType.Text), new("firing_since_ms", NpgsqlDbType.Bigint),
            new("steps_done", NpgsqlDbType.Integer), new("next_due_ms", NpgsqlDbType.Bigint), new("updated_at_ms", NpgsqlDbType.Bigint),
            new("reminders_sent", NpgsqlDbType.Integer), new("next_reminder_ms", NpgsqlDbType.Bigint),
        ]),
        new("notifications", "id",
        [
            new("id", NpgsqlDbType.Bigint), new("receiver", NpgsqlDbType.Text), new("integration", NpgsqlDbType.Text),
            new("integration_index", NpgsqlDbType.Integer), new("kind", NpgsqlDbType.Text), new("detail", NpgsqlDbType.Text),
            new("status", NpgsqlDbType.Text), new("attempts", NpgsqlDbType.Integer), new("next_attempt_ms", NpgsqlDbType.Bigint),
            new("claimed_until_ms", NpgsqlDbType.Bigint), new("last_error", NpgsqlDbType.Text), new("delivery_ref", NpgsqlDbType.Text),
            new("created_at_ms", NpgsqlDbType.Bigint), new("sent_at_ms", NpgsqlDbType.Bigint), new("updated_at_ms", NpgsqlDbType.Bigint),
            new("paged_schedule", NpgsqlDbType.Text), new("paged_participant", NpgsqlDbType.Text),
        ]),
        new("notification_alerts", "notification_id, occurrence_id",
        [
            new("notification_id", NpgsqlDbType.Bigint), new("occurrence_id", NpgsqlDbType.Bigint),
        ]),
        new("used_links", "token_hash",
        [
            new("token_hash", NpgsqlDbType.Text), new("occurrence_id", NpgsqlDbType.Bigint), new("action", NpgsqlDbType.Text),
            new("used_at_ms", NpgsqlDbType.Bigint), new("expires_at_ms", NpgsqlDbType.Bigint),
        ]),
        new("heartbeats", "name",
        [
            new("name", NpgsqlDbType.Text), new("last_seen_ms", NpgsqlDbType.Bigint), new("missing_starts_at_ms", NpgsqlDbType.Bigint),
            new("updated_at_ms", NpgsqlDbType.Bigint),
        ]),
        new("muted_receivers", "occurrence_id, receiver",
        [
            new("occurrence_id", NpgsqlDbType.Bigint), new("receiver", NpgsqlDbType.Text), new("since_ms", NpgsqlDbType.Bigint),
        ]),
        new("inbox", "id", Source: "inbox_failed", Columns:
        [
            new("id", NpgsqlDbType.Bigint), new("received_at_ms", NpgsqlDbType.Bigint), new("alerts", NpgsqlDbType.Integer),
            new("body", NpgsqlDbType.Bytea), new("failed_at_ms", NpgsqlDbType.Bigint), new("error", NpgsqlDbType.Text),
        ]), // only the failed bodies: Copy refuses while the inbox file holds unapplied ones
    ];

    /// <summary>The tables whose ids come from an identity sequence, set past the largest copied id.</summary>
    private static readonly string[] IdentityTables = ["alert_occurrences", "alert_events", "notifications", "inbox"];

    /// <summary>
    /// Copies the history in <paramref name="sqlitePath"/> into the PostgreSQL database of <paramref name="connectionString"/>, which must
    /// hold no history yet; returns the rows of each table. Failures are <see cref="HistoryMigrationException"/>, with no row copied (the
    /// schema may have been created: migrating again after the cause is fixed is fine).
    /// </summary>
    public static MigratedHistory Copy(string sqlitePath, string connectionString, ILogger<PostgresDatabase> logger)
    {
        var source = Path.GetFullPath(sqlitePath);
        if (!File.Exists(source))
        {
            throw new HistoryMigrationException($"no history database at {source}");
        }

        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new HistoryMigrationException($"not a valid PostgreSQL connection string: {ex.Message}", isConnection: true, ex);
        }

        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            throw new HistoryMigrationException("the PostgreSQL connection string names no Host", isConnection: true);
        }

        // A large history's COPY and the foreign key checks at its end take longer than a command's default 30 s.
        settings.CommandTimeout = 0;

        using var sqlite = OpenSnapshotSource(source);
        using var sqliteTransaction = sqlite.BeginTransaction(deferred: true);
        CheckSourceSchema(sqlite, sqliteTransaction, source);
        CheckInboxApplied(sqlite, sqliteTransaction, source);

        using var target = new PostgresDatabase(settings.ConnectionString, maxPoolSize: 2, lockTimeoutSeconds: 30, logger);
        using var connection = OpenTarget(target);
        MigrateTarget(target);

        try
        {
            using var transaction = connection.BeginTransaction();

            // One tick of the ingest clock for the whole copy: it waits for (and then holds off) the ingest writer of any replica
            // already running on this database, and marks every copied occurrence as changed, so that such a writer loads them.
            var tick = Scalar<long>(connection, transaction, "UPDATE ingest_clock SET seq = seq + 1 RETURNING seq");
            var occurrences = Scalar<long>(connection, transaction, "SELECT count(*) FROM alert_occurrences");
            var notifications = Scalar<long>(connection, transaction, "SELECT count(*) FROM notifications");
            if (occurrences > 0 || notifications > 0)
            {
                throw new HistoryMigrationException(
                    $"{target.Description} already holds a history ({occurrences} occurrences, {notifications} notifications); " +
                    "migrate into an empty database. Nothing was written");
            }

            // Nothing counts the copied rows into the stats rollup as they come (its writers keep it since PostgreSQL migration 8,
            // and only deletes have a trigger): the rollup is counted once from the copied rows, in the same transaction.
            var copied = Tables.Select(table => new CopiedTable(table.Name, CopyTable(sqlite, sqliteTransaction, connection, table, tick))).ToList();
            Execute(connection, transaction, RebuildStatsRollup);

            // Last, as setval is not undone by a rollback: a failure before it leaves the sequences untouched.
            foreach (var table in IdentityTables)
            {
                Scalar<long>(connection, transaction,
                    $"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}");
            }

            transaction.Commit();
            Analyze(connection);
            return new MigratedHistory(source, target.Description, copied);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // A PostgresException is the server refusing something (a row, a lock it waited too long for); anything else lost the connection.
            var why = ex is PostgresException ? $"{target.Description} refused the copy" : $"lost {target.Description}";
            throw new HistoryMigrationException($"{why}: {ex.Message}. Nothing was written", isConnection: ex is not PostgresException, ex);
        }
        catch (SqliteException ex)
        {
            throw new HistoryMigrationException($"reading {source} failed: {ex.Message}. Nothing was written", inner: ex);
        }
    }

    /// <summary>Fresh statistics for the planner now, rather than when autovacuum gets to the new tables; the copy is committed whatever becomes of this.</summary>
    private static void Analyze(NpgsqlConnection connection)
    {
        try
        {
            using var analyze = new NpgsqlCommand($"ANALYZE {string.Join(", ", Tables.Select(t => t.Name))}", connection);
            analyze.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // Autovacuum analyzes the tables soon enough.
        }
    }

    /// <summary>
    /// Refuses while the inbox file beside the history holds webhook bodies not applied yet: they would be lost. Starting AlertRelay on
    /// the SQLite file applies them (its writer drains the inbox first).
    /// </summary>
    private static void CheckInboxApplied(SqliteConnection sqlite, SqliteTransaction sqliteTransaction, string source)
    {
        var inboxPath = HistoryDatabase.InboxPathOf(source);
        if (!File.Exists(inboxPath))
        {
            return;
        }

        var appliedThrough = SqliteScalar(sqlite, sqliteTransaction, "SELECT applied_through FROM inbox_progress");
        using var inbox = OpenSnapshotSource(inboxPath);
        using var command = inbox.CreateCommand();
        command.CommandText = "SELECT count(*) FROM inbox WHERE id > $applied";
        command.Parameters.AddWithValue("$applied", appliedThrough);
        var waiting = (long)command.ExecuteScalar()!;
        if (waiting > 0)
        {
            throw new HistoryMigrationException(
                $"{inboxPath} holds {waiting} webhook requests not applied to the history yet; start AlertRelay on {source} until " +
                "alertrelay_inbox_backlog_alerts is 0 (or /-/ready says so), stop it, then migrate. Nothing was copied");
        }
    }

    private static long SqliteScalar(SqliteConnection sqlite, SqliteTransaction sqliteTransaction, string sql)
    {
        using var command = sqlite.CreateCommand();
        command.Transaction = sqliteTransaction;
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The file, read-only (never created, never changed), with a busy timeout for a moment's checkpoint of a running AlertRelay.</summary>
    private static SqliteConnection OpenSnapshotSource(string source)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = source,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA busy_timeout = 30000";
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new HistoryMigrationException($"cannot open {source}: {ex.Message}", inner: ex);
        }
    }

    /// <summary>The copy knows the SQLite schema of this build only: an older file is upgraded by starting AlertRelay on it once.</summary>
    private static void CheckSourceSchema(SqliteConnection sqlite, SqliteTransaction transaction, string source)
    {
        long version;
        try
        {
            using var command = sqlite.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version";
            version = (long)command.ExecuteScalar()!;
        }
        catch (SqliteException ex)
        {
            throw new HistoryMigrationException($"cannot read {source}: {ex.Message}", inner: ex);
        }

        var latest = Migrations.All[^1].Version;
        if (version == 0)
        {
            throw new HistoryMigrationException($"{source} is not an AlertRelay history (no schema version)");
        }

        if (version != latest)
        {
            throw new HistoryMigrationException(version < latest
                ? $"{source} has schema version {version}, older than this build's {latest}: start this AlertRelay on it once (it upgrades the file), then migrate"
                : $"{source} has schema version {version}, newer than this build knows ({latest}): migrate with the AlertRelay that wrote it");
        }
    }

    private static NpgsqlConnection OpenTarget(PostgresDatabase target)
    {
        try
        {
            return target.Open();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or ArgumentException or InvalidOperationException)
        {
            // Npgsql reports some settings it cannot use (an SSL mode without certificates, ...) only when it connects: ArgumentException.
            throw new HistoryMigrationException($"cannot connect to {target.Description}: {ex.Message}", isConnection: true, ex);
        }
    }

    private static void MigrateTarget(PostgresDatabase target)
    {
        try
        {
            target.Migrate();
        }
        catch (StoreStartupException ex)
        {
            throw new HistoryMigrationException(ex.Message, inner: ex);
        }
        catch (NpgsqlException ex)
        {
            throw new HistoryMigrationException($"cannot bring the schema of {target.Description} up to date: {ex.Message}. Nothing was copied",
                isConnection: ex is not PostgresException, ex);
        }
    }

    /// <summary>Streams one table from the snapshot into a binary COPY, in key order; returns the rows copied.</summary>
    private static long CopyTable(SqliteConnection sqlite, SqliteTransaction sqliteTransaction, NpgsqlConnection connection, TableCopy table, long tick)
    {
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        using var select = sqlite.CreateCommand();
        select.Transaction = sqliteTransaction;
        select.CommandText = $"SELECT {columns} FROM {table.Source ?? table.Name} ORDER BY {table.OrderBy}";
        using var reader = select.ExecuteReader();

        using var importer = connection.BeginBinaryImport(
            $"COPY {table.Name} ({columns}{(table.ChangeSeq ? ", change_seq, labels_exact, annotations_exact" : "")}) FROM STDIN (FORMAT BINARY)");
        while (reader.Read())
        {
            importer.StartRow();
            string? labelsExact = null, annotationsExact = null;
            for (var i = 0; i < table.Columns.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    importer.WriteNull();
                    continue;
                }

                switch (table.Columns[i].Type)
                {
                    case NpgsqlDbType.Bigint:
                        importer.Write(reader.GetInt64(i), NpgsqlDbType.Bigint);
                        break;
                    case NpgsqlDbType.Integer:
                        importer.Write(checked((int)reader.GetInt64(i)), NpgsqlDbType.Integer);
                        break;
                    case NpgsqlDbType.Bytea:
                        importer.Write((byte[])reader.GetValue(i), NpgsqlDbType.Bytea);
                        break;
                    case NpgsqlDbType.Jsonb when table.Columns[i].Name is "labels" or "annotations":
                        // PostgreSQL parses the JSON text SQLite holds; a set holding U+0000 is also kept exactly (PostgresText).
                        var (json, exact) = PostgresText.Json(Alerts.LabelSet.FromJson(reader.GetString(i)));
                        importer.Write(json, NpgsqlDbType.Jsonb);
                        if (table.Columns[i].Name == "labels")
                        {
                            labelsExact = exact;
                        }
                        else
                        {
                            annotationsExact = exact;
                        }

                        break;
                    case var type: // text, and jsonb that PostgreSQL parses from the JSON text SQLite holds
                        importer.Write(PostgresText.Storable(reader.GetString(i)), type);
                        break;
                }
            }

            if (table.ChangeSeq)
            {
                importer.Write(tick, NpgsqlDbType.Bigint);
                foreach (var exact in new[] { labelsExact, annotationsExact })
                {
                    if (exact is null)
                    {
                        importer.WriteNull();
                    }
                    else
                    {
                        importer.Write(exact, NpgsqlDbType.Text);
                    }
                }
            }
        }

        return (long)importer.Complete();
    }

    /// <summary>Counts the hourly rollup (PostgreSQL migration 5) again from <c>alert_occurrences</c>.</summary>
    internal const string RebuildStatsRollup = """
        DELETE FROM alert_stats_hourly;
        INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
        SELECT starts_at_ms / 3600000, status, severity, count(*),
               coalesce(sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END), 0)
        FROM alert_occurrences GROUP BY 1, 2, 3
        """;

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private static T Scalar<T>(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        return (T)command.ExecuteScalar()!;
    }

    private sealed record ColumnCopy(string Name, NpgsqlDbType Type);

    /// <summary>A table to copy; <paramref name="Source"/>: its name in SQLite when it differs.</summary>
    private sealed record TableCopy(string Name, string OrderBy, ColumnCopy[] Columns, bool ChangeSeq = false, string? Source = null);
}

namespace AlertRelay.Core.History;

/// <summary>
/// The schema, as an ordered list of migrations. The database's <c>PRAGMA user_version</c> records the
/// last one applied. Never edit a released migration: append a new one.
/// </summary>
public static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "alert occurrences and their event timeline", """
            CREATE TABLE alert_occurrences (
                id             INTEGER PRIMARY KEY,
                fingerprint    INTEGER NOT NULL,
                starts_at_ms   INTEGER NOT NULL,
                ends_at_ms     INTEGER,
                status         TEXT    NOT NULL CHECK (status IN ('firing', 'resolved')),
                alertname      TEXT    NOT NULL DEFAULT '',
                severity       TEXT    NOT NULL DEFAULT '',
                labels         TEXT    NOT NULL,
                annotations    TEXT    NOT NULL,
                generator_url  TEXT    NOT NULL DEFAULT '',
                receiver       TEXT    NOT NULL DEFAULT '',
                group_key      TEXT    NOT NULL DEFAULT '',
                external_url   TEXT    NOT NULL DEFAULT '',
                received_at_ms INTEGER NOT NULL,
                updated_at_ms  INTEGER NOT NULL,
                starts_at      INTEGER GENERATED ALWAYS AS (starts_at_ms / 1000) VIRTUAL,
                ends_at        INTEGER GENERATED ALWAYS AS (ends_at_ms / 1000) VIRTUAL,
                received_at    INTEGER GENERATED ALWAYS AS (received_at_ms / 1000) VIRTUAL
            );
            CREATE UNIQUE INDEX ux_alert_occurrences_identity ON alert_occurrences (fingerprint, starts_at_ms);
            CREATE INDEX ix_alert_occurrences_starts_at ON alert_occurrences (starts_at_ms);
            CREATE INDEX ix_alert_occurrences_alertname ON alert_occurrences (alertname, starts_at_ms);
            CREATE INDEX ix_alert_occurrences_firing ON alert_occurrences (starts_at_ms) WHERE status = 'firing';

            CREATE TABLE alert_events (
                id            INTEGER PRIMARY KEY,
                occurrence_id INTEGER NOT NULL REFERENCES alert_occurrences (id) ON DELETE CASCADE,
                at_ms         INTEGER NOT NULL,
                kind          TEXT    NOT NULL,
                detail        TEXT,
                at            INTEGER GENERATED ALWAYS AS (at_ms / 1000) VIRTUAL
            );
            CREATE INDEX ix_alert_events_occurrence ON alert_events (occurrence_id, id);
            CREATE INDEX ix_alert_events_at ON alert_events (at_ms);
            """),
        new(2, "routed receivers, inhibition, acknowledgement and escalation state", """
            ALTER TABLE alert_occurrences ADD COLUMN receivers TEXT NOT NULL DEFAULT '[]';
            ALTER TABLE alert_occurrences ADD COLUMN inhibited_by INTEGER REFERENCES alert_occurrences (id) ON DELETE SET NULL;
            ALTER TABLE alert_occurrences ADD COLUMN acked_by TEXT;
            ALTER TABLE alert_occurrences ADD COLUMN ack_comment TEXT;
            ALTER TABLE alert_occurrences ADD COLUMN acked_at_ms INTEGER;
            ALTER TABLE alert_occurrences ADD COLUMN ack_expires_at_ms INTEGER;
            ALTER TABLE alert_occurrences ADD COLUMN acked_at INTEGER GENERATED ALWAYS AS (acked_at_ms / 1000) VIRTUAL;
            CREATE INDEX ix_alert_occurrences_inhibited_by ON alert_occurrences (inhibited_by) WHERE inhibited_by IS NOT NULL;

            CREATE TABLE escalations (
                occurrence_id   INTEGER PRIMARY KEY REFERENCES alert_occurrences (id) ON DELETE CASCADE,
                policy          TEXT    NOT NULL,
                firing_since_ms INTEGER NOT NULL,
                steps_done      INTEGER NOT NULL DEFAULT 0,
                next_due_ms     INTEGER,
                updated_at_ms   INTEGER NOT NULL
            );
            CREATE INDEX ix_escalations_due ON escalations (next_due_ms) WHERE next_due_ms IS NOT NULL;
            """),
        new(3, "notification outbox", """
            CREATE TABLE notifications (
                id                INTEGER PRIMARY KEY,
                receiver          TEXT    NOT NULL,
                integration       TEXT    NOT NULL,
                integration_index INTEGER NOT NULL,
                kind              TEXT    NOT NULL,
                detail            TEXT,
                status            TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
                attempts          INTEGER NOT NULL DEFAULT 0,
                next_attempt_ms   INTEGER NOT NULL,
                claimed_until_ms  INTEGER,
                last_error        TEXT,
                delivery_ref      TEXT,
                created_at_ms     INTEGER NOT NULL,
                sent_at_ms        INTEGER,
                updated_at_ms     INTEGER NOT NULL,
                created_at        INTEGER GENERATED ALWAYS AS (created_at_ms / 1000) VIRTUAL,
                sent_at           INTEGER GENERATED ALWAYS AS (sent_at_ms / 1000) VIRTUAL
            );
            CREATE INDEX ix_notifications_due ON notifications (next_attempt_ms) WHERE status = 'pending';
            CREATE INDEX ix_notifications_status ON notifications (status, id);

            CREATE TABLE notification_alerts (
                notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                occurrence_id   INTEGER NOT NULL REFERENCES alert_occurrences (id) ON DELETE CASCADE,
                PRIMARY KEY (notification_id, occurrence_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_notification_alerts_occurrence ON notification_alerts (occurrence_id, notification_id);
            """),
        new(4, "full index on inhibited_by, so that deleting an occurrence does not scan the table", """
            -- ON DELETE SET NULL looks up the child key for every deleted row; SQLite cannot use a partial
            -- index for that lookup, so retention scanned alert_occurrences once per deleted occurrence.
            DROP INDEX ix_alert_occurrences_inhibited_by;
            CREATE INDEX ix_alert_occurrences_inhibited_by ON alert_occurrences (inhibited_by);
            """),
        new(5, "time-ordered identity key (startsAt first), so that storing an alert appends to the index", """
            -- Fingerprints are random 64-bit hashes: with the fingerprint first, every new alert wrote to a random page
            -- of the unique index (and every commit flushed hundreds of them). New alerts start about now, so with
            -- startsAt first they land at the end of the index. Deduplication no longer needs to search by fingerprint:
            -- the ingest writer keeps the newest occurrence of every fingerprint in memory (IdentityIndex), filled
            -- from this index at start-up. The plain startsAt index stays: it is (starts_at_ms, id), the order of every
            -- list and its keyset cursor; without it a filtered list sorted ~1M rows (bench/run-history.sh).
            DROP INDEX ux_alert_occurrences_identity;
            CREATE UNIQUE INDEX ux_alert_occurrences_identity ON alert_occurrences (starts_at_ms, fingerprint);
            """),
        new(6, "index on ends_at for statistics over a time window", """
            -- GET /api/alerts/stats?from=&to= counts occurrences active in the window (started before its end, not ended
            -- before its start): without this index it read nearly the whole table (0.4-0.8 s at 1M occurrences; 23-38 ms
            -- with it, bench/run-history.sh). Covering, so the counts never touch the rows. ~39 bytes per occurrence.
            CREATE INDEX ix_alert_occurrences_ends ON alert_occurrences (ends_at_ms, starts_at_ms, status, severity);
            """),
        new(7, "re-open candidates: when a resolved occurrence that arrived firing again is confirmed re-opened", """
            -- An Alertmanager HA peer may send a stale firing snapshot after another peer's resolve: such a copy re-opens
            -- nothing at once; the occurrence stays resolved with a due time (now + ReopenGraceSeconds), cleared when a
            -- resolve comes first, confirmed by the ingest writer when it passes. The partial index holds the few candidates.
            ALTER TABLE alert_occurrences ADD COLUMN reopen_due_ms INTEGER;
            CREATE INDEX ix_alert_occurrences_reopen_due ON alert_occurrences (reopen_due_ms) WHERE reopen_due_ms IS NOT NULL;
            """),
        new(8, "the on-call loop: who acknowledged from where, the Alertmanager silence of an occurrence, used action links", """
            -- acked_by stays the name shown; acked_via is where it came from (api, slack, link), acked_by_id the Slack user id.
            ALTER TABLE alert_occurrences ADD COLUMN acked_via TEXT;
            ALTER TABLE alert_occurrences ADD COLUMN acked_by_id TEXT;
            -- The Alertmanager silence created from AlertRelay for this occurrence (cleared when it is noticed expired or deleted).
            ALTER TABLE alert_occurrences ADD COLUMN silence_id TEXT;
            ALTER TABLE alert_occurrences ADD COLUMN silenced_by TEXT;
            ALTER TABLE alert_occurrences ADD COLUMN silenced_at_ms INTEGER;
            ALTER TABLE alert_occurrences ADD COLUMN silence_ends_at_ms INTEGER;
            CREATE INDEX ix_alert_occurrences_silence ON alert_occurrences (silence_ends_at_ms) WHERE silence_id IS NOT NULL;
            -- A signed action link is used once: the hash of its signature, kept until the link would have expired anyway.
            CREATE TABLE used_links (
                token_hash    TEXT    PRIMARY KEY,
                occurrence_id INTEGER NOT NULL REFERENCES alert_occurrences (id) ON DELETE CASCADE,
                action        TEXT    NOT NULL,
                used_at_ms    INTEGER NOT NULL,
                expires_at_ms INTEGER NOT NULL
            );
            CREATE INDEX ix_used_links_occurrence ON used_links (occurrence_id);
            """),
        new(9, "reminders: how many an escalation ladder sent and when the next is due", """
            -- next_reminder_ms is NULL while reminders are paused (acknowledged, silenced, muted, resolved) or were never
            -- scheduled (ladders older than this migration): the scheduler then starts them again one interval from now.
            -- next_due_ms stays the ladder's one due time (the earlier of the next step and the next reminder), so the
            -- partial index ix_escalations_due still finds every due ladder.
            ALTER TABLE escalations ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE escalations ADD COLUMN next_reminder_ms INTEGER;
            """),
        new(10, "on-call schedules and heartbeats: who a notification pages, and when each heartbeat was last seen", """
            -- A notification that pages the person on call of a schedule (a route or step notifying oncall:<schedule>) names the
            -- schedule and the participant it chose at that moment: the channel message mentions them, the direct message and
            -- the email go to them. NULL for every other notification.
            ALTER TABLE notifications ADD COLUMN paged_schedule TEXT;
            ALTER TABLE notifications ADD COLUMN paged_participant TEXT;
            -- One row per configured heartbeat once it has been seen or has gone missing: when a firing alert matching it last
            -- arrived, and the startsAt of the open HeartbeatMissing occurrence (NULL while the heartbeat is well).
            CREATE TABLE heartbeats (
                name                 TEXT    PRIMARY KEY,
                last_seen_ms         INTEGER,
                missing_starts_at_ms INTEGER,
                updated_at_ms        INTEGER NOT NULL
            );
            """),
        new(11, "an hourly rollup of occurrences by status and severity, kept by triggers, for statistics over all time", """
            -- GET /api/alerts/stats without a window counted every occurrence (~0.7 s per million). This table holds, per hour of
            -- startsAt (starts_at_ms / 3600000), status and severity, how many occurrences there are and the sum of their time to
            -- resolve (ends_at_ms - starts_at_ms of the resolved ones): the stats query adds up its rows for the whole hours and
            -- counts the rows of a partial hour at the edge. Triggers keep it in the same transaction as every change to the
            -- columns it counts (ingest, resolves, re-opens, escalations that set the severity, retention, any hand-written SQL);
            -- an hour's rows that fall to zero are deleted when an occurrence of that hour is.
            CREATE TABLE alert_stats_hourly (
                hour           INTEGER NOT NULL,
                status         TEXT    NOT NULL,
                severity       TEXT    NOT NULL,
                occurrences    INTEGER NOT NULL,
                resolve_ms_sum INTEGER NOT NULL,
                PRIMARY KEY (hour, status, severity)
            ) WITHOUT ROWID;
            INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
            SELECT starts_at_ms / 3600000, status, severity, count(*),
                   coalesce(sum(CASE WHEN status = 'resolved' THEN ends_at_ms - starts_at_ms END), 0)
            FROM alert_occurrences GROUP BY 1, 2, 3;
            CREATE TRIGGER tr_alert_stats_hourly_insert AFTER INSERT ON alert_occurrences
            BEGIN
                INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
                VALUES (NEW.starts_at_ms / 3600000, NEW.status, NEW.severity, 1,
                        CASE WHEN NEW.status = 'resolved' THEN coalesce(NEW.ends_at_ms - NEW.starts_at_ms, 0) ELSE 0 END)
                ON CONFLICT (hour, status, severity) DO UPDATE
                SET occurrences = occurrences + excluded.occurrences, resolve_ms_sum = resolve_ms_sum + excluded.resolve_ms_sum;
            END;
            CREATE TRIGGER tr_alert_stats_hourly_update AFTER UPDATE OF starts_at_ms, ends_at_ms, status, severity ON alert_occurrences
            WHEN OLD.starts_at_ms IS NOT NEW.starts_at_ms OR OLD.ends_at_ms IS NOT NEW.ends_at_ms
              OR OLD.status IS NOT NEW.status OR OLD.severity IS NOT NEW.severity
            BEGIN
                INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
                VALUES (OLD.starts_at_ms / 3600000, OLD.status, OLD.severity, -1,
                        CASE WHEN OLD.status = 'resolved' THEN -coalesce(OLD.ends_at_ms - OLD.starts_at_ms, 0) ELSE 0 END)
                ON CONFLICT (hour, status, severity) DO UPDATE
                SET occurrences = occurrences + excluded.occurrences, resolve_ms_sum = resolve_ms_sum + excluded.resolve_ms_sum;
                INSERT INTO alert_stats_hourly (hour, status, severity, occurrences, resolve_ms_sum)
                VALUES (NEW.starts_at_ms / 3600000, NEW.status, NEW.severity, 1,
                        CASE WHEN NEW.status = 'resolved' THEN coalesce(NEW.ends_at_ms - NEW.starts_at_ms, 0) ELSE 0 END)
                ON CONFLICT (hour, status, severity) DO UPDATE
                SET occurrences = occurrences + excluded.occurrences, resolve_ms_sum = resolve_ms_sum + excluded.resolve_ms_sum;
            END;
            CREATE TRIGGER tr_alert_stats_hourly_delete AFTER DELETE ON alert_occurrences
            BEGIN
                UPDATE alert_stats_hourly
                SET occurrences = occurrences - 1,
                    resolve_ms_sum = resolve_ms_sum - CASE WHEN OLD.status = 'resolved' THEN coalesce(OLD.ends_at_ms - OLD.starts_at_ms, 0) ELSE 0 END
                WHERE hour = OLD.starts_at_ms / 3600000 AND status = OLD.status AND severity = OLD.severity;
                DELETE FROM alert_stats_hourly WHERE hour = OLD.starts_at_ms / 3600000 AND occurrences = 0;
            END;
            """),
        new(12, "receivers muted by time intervals, notified when the mute ends if the occurrence still fires", """
            -- One row per (occurrence, receiver) whose firing notification a route's mute_time_intervals or active_time_intervals held
            -- back: the ingest writer's unmute pass notifies the receiver once its routes no longer mute it, and deletes the row then,
            -- or when the occurrence resolves, is acknowledged, silenced or inhibited, or the receiver is no longer routed. Few rows.
            CREATE TABLE muted_receivers (
                occurrence_id INTEGER NOT NULL REFERENCES alert_occurrences (id) ON DELETE CASCADE,
                receiver      TEXT    NOT NULL,
                since_ms      INTEGER NOT NULL,
                PRIMARY KEY (occurrence_id, receiver)
            ) WITHOUT ROWID;
            """),
        new(13, "the ingest inbox's progress: webhook bodies wait in their own file (<name>.inbox.db), applied in id order", """
            -- Accepted POST /webhook bodies are appended to the inbox file (its own write lock: an append never waits for the
            -- writer's transaction). The writer applies them in id order and, in the same transaction as the rows they produce,
            -- advances applied_through (exactly once across a crash: rows up to it are never taken again, and the appender
            -- deletes them from the inbox file later). A body the chain cannot apply is copied to inbox_failed and passed.
            CREATE TABLE inbox_progress (
                id              INTEGER PRIMARY KEY CHECK (id = 1),
                applied_through INTEGER NOT NULL
            );
            INSERT INTO inbox_progress (id, applied_through) VALUES (1, 0);
            CREATE TABLE inbox_failed (
                id             INTEGER PRIMARY KEY,
                received_at_ms INTEGER NOT NULL,
                alerts         INTEGER NOT NULL,
                body           BLOB    NOT NULL,
                failed_at_ms   INTEGER NOT NULL,
                error          TEXT    NOT NULL
            );
            """),
        new(14, "the hourly stats rollup kept by its writers: one upsert per write transaction rather than insert and update triggers", """
            -- The insert and update triggers cost the ingest writer 16-27% of its CPU per alert (one upsert per occurrence row, two per
            -- resolve). The ingest transaction now sums its changes in memory (StatsDelta) and upserts them once before it commits; the
            -- escalation store does the same for the severities it sets. They kept the rollup right up to here, so its rows stay.
            -- Deletes come from retention alone (off the ingest path): the delete trigger stays. Since this migration a hand-written
            -- INSERT or UPDATE of starts_at_ms, ends_at_ms, status or severity must adjust alert_stats_hourly itself.
            DROP TRIGGER tr_alert_stats_hourly_insert;
            DROP TRIGGER tr_alert_stats_hourly_update;
            """),
    ];
}

/// <summary>One schema step: its version number, what it does, and its SQL.</summary>
public sealed record Migration(int Version, string Description, string Sql);

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
    ];
}

/// <summary>One schema step: its version number, what it does, and its SQL.</summary>
public sealed record Migration(int Version, string Description, string Sql);

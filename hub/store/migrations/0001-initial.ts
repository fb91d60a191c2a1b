import type { Migration } from "./migration.ts";

/**
 * Paired robots, their cleaning history and hub-wide settings. Times are ms since the epoch (hub
 * clock); JSON columns hold exactly what the repositories write. "trigger" is quoted because it is
 * an SQL keyword.
 */
export const initialSchema: Migration = {
  version: 1,
  name: "initial",
  up(db) {
    db.exec(`
      CREATE TABLE robots (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        model TEXT NOT NULL,
        manufacturer TEXT NOT NULL DEFAULT '',
        firmware TEXT NOT NULL DEFAULT '',
        serial TEXT NOT NULL DEFAULT '',
        host TEXT NOT NULL,
        port INTEGER NOT NULL,
        cert_pem TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        capabilities TEXT NOT NULL DEFAULT '{}',
        identity_status TEXT NOT NULL DEFAULT 'ok' CHECK (identity_status IN ('ok', 'changed')),
        paired_at INTEGER NOT NULL,
        last_seen_at INTEGER,
        last_state TEXT,
        sort_order INTEGER NOT NULL DEFAULT 0
      );

      CREATE TABLE cleaning_sessions (
        robot_id TEXT NOT NULL REFERENCES robots(id) ON DELETE CASCADE,
        job_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        "trigger" TEXT NOT NULL DEFAULT 'robot',
        started_at INTEGER NOT NULL,
        finished_at INTEGER,
        result TEXT,
        area_m2 REAL,
        duration_s REAL,
        rooms TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (robot_id, job_id)
      );
      CREATE INDEX cleaning_sessions_robot_started ON cleaning_sessions (robot_id, started_at);

      CREATE TABLE hub_settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};

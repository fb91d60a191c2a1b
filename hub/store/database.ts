/**
 * Opening the hub's SQLite database and bringing its schema up to date.
 *
 * A database written by a newer sweephub is refused before anything is written to it (it is first
 * opened read-only just to read its version), so a downgrade never damages the user's data.
 */
import { existsSync, mkdirSync, statSync, unlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import type { Logger } from "../logging.ts";
import { createBackupSync } from "../ops/backup-archive.ts";
import { backupFileName, listBackupFiles } from "../ops/backup-files.ts";
import { HUB_VERSION } from "../version.ts";
import { MIGRATIONS, type Migration } from "./migrations/index.ts";

export type Database = SqliteDatabase.Database;

export interface OpenDatabaseOptions {
  /** Schema steps to apply; tests pass their own. Defaults to MIGRATIONS. */
  migrations?: readonly Migration[];
  /** Clock for `schema_migrations.applied_at`; defaults to Date.now. */
  now?: () => number;
  /**
   * Where to write a full backup archive before migrating a database that already has data (the data
   * folder is the database's folder). Defaults to `<that folder>/backups`; false turns it off.
   */
  backupBeforeMigrate?: string | false;
}

export class DatabaseError extends Error {
  constructor(
    readonly code: "DB_TOO_NEW" | "DB_UNREADABLE" | "DB_MIGRATION_FAILED" | "DB_BACKUP_FAILED",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatabaseError";
  }
}

export function openDatabase(file: string, log: Logger, opts: OpenDatabaseOptions = {}): Database {
  const migrations = opts.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const inMemory = file === ":memory:" || file === "";
  if (!inMemory) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (existsSync(file) && statSync(file).size > 0) refuseIfNewer(file, readOnlyVersion(file), latest);
  }

  const db = new SqliteDatabase(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    db.pragma("synchronous = NORMAL");
    const backupDir = inMemory ? false : (opts.backupBeforeMigrate ?? join(dirname(file), "backups"));
    migrate(db, migrations, log, opts.now ?? Date.now, file, backupDir);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** The schema version recorded in a database: the larger of user_version and schema_migrations. */
export function schemaVersion(db: Database): number {
  const userVersion = db.pragma("user_version", { simple: true }) as number;
  const hasTable = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  const recorded = hasTable
    ? ((db.prepare("SELECT max(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0)
    : 0;
  return Math.max(userVersion, recorded);
}

function readOnlyVersion(file: string): number {
  let db: Database | undefined;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    return schemaVersion(db);
  } catch (err) {
    throw new DatabaseError(
      "DB_UNREADABLE",
      `Cannot read the database ${file}: ${(err as Error).message}. It may be damaged or not a sweephub ` +
        "database; move it aside (the hub then starts with an empty one) or restore a backup.",
      { cause: err },
    );
  } finally {
    db?.close();
  }
}

function refuseIfNewer(file: string, version: number, latest: number): void {
  if (version <= latest) return;
  throw new DatabaseError(
    "DB_TOO_NEW",
    `The database ${file} has schema version ${version}, but this sweephub only knows versions up to ` +
      `${latest}: it was written by a newer sweephub. Upgrade sweephub, or restore a backup made with this ` +
      "version. The database was not changed.",
  );
}

function migrate(
  db: Database,
  migrations: readonly Migration[],
  log: Logger,
  now: () => number,
  file: string,
  backupDir: string | false,
) {
  const latest = migrations.at(-1)?.version ?? 0;
  // Checked again on the writable connection: another process may have upgraded it meanwhile.
  refuseIfNewer(file, schemaVersion(db), latest);
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const current = schemaVersion(db);
  if (backupDir !== false && current > 0 && current < latest) {
    backupBeforeMigrating(db, file, backupDir, log, now, `v${current}-to-v${latest}`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    const step = db.transaction(() => {
      m.up(db);
      record.run(m.version, m.name, now());
      db.pragma(`user_version = ${m.version}`);
    });
    try {
      step();
    } catch (err) {
      throw new DatabaseError(
        "DB_MIGRATION_FAILED",
        `Database migration ${m.version} (${m.name}) failed on ${file}: ${(err as Error).message}. ` +
          "The database was left at the previous version.",
        { cause: err },
      );
    }
    log.info({ version: m.version, migration: m.name }, "applied database migration");
  }
}

/**
 * A migration rewrites user data in place; if a step has a bug the user's only way back is this archive
 * (restore it with `sweephub restore` into an empty folder, using the previous sweephub version).
 */
function backupBeforeMigrating(
  db: Database,
  file: string,
  dir: string,
  log: Logger,
  now: () => number,
  detail: string,
): void {
  const out = join(dir, backupFileName("pre-migration", now(), detail));
  try {
    createBackupSync({
      db,
      dataDir: dirname(file),
      out,
      kind: "pre-migration",
      hubVersion: HUB_VERSION,
      now,
    });
  } catch (err) {
    throw new DatabaseError(
      "DB_BACKUP_FAILED",
      `Could not back up ${file} before upgrading its schema (${detail}): ${(err as Error).message}. ` +
        "Nothing was migrated; free some disk space or make the backups folder writable and start again.",
      { cause: err },
    );
  }
  log.info({ file: out, step: detail }, "backed up the data folder before migrating the database");
  // One archive per upgrade adds up over the years: the newest few are the useful ones (a bad migration shows
  // within days, and scheduled backups cover the rest).
  for (const old of listBackupFiles(dir)
    .filter((b) => b.kind === "pre-migration")
    .slice(PRE_MIGRATION_KEEP)) {
    try {
      unlinkSync(old.path);
      log.info({ file: old.path }, "removed an old pre-migration backup");
    } catch (err) {
      log.warn({ err, file: old.path }, "could not remove an old pre-migration backup");
    }
  }
}

/** Pre-migration backups kept (newest first); older ones are removed after a new one is written. */
export const PRE_MIGRATION_KEEP = 3;

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(
        `Migration list is broken: entry ${i} (${m.name}) has version ${m.version}, expected ${i + 1}`,
      );
    }
  });
}

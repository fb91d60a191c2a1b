import type SqliteDatabase from "better-sqlite3";

/**
 * One schema step. `up` runs inside a transaction the runner opens, together with recording the step,
 * so a failed step leaves the database as it was. Shipped migrations are never edited: fix forward
 * with a new file.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: SqliteDatabase.Database): void;
}

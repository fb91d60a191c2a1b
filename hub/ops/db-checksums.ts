/**
 * Row counts and content checksums of every table in a database: stored in a backup's manifest when the
 * snapshot is taken and checked again on restore, so a damaged or tampered archive is refused instead of
 * silently restoring different data. Rows are hashed in primary-key order, so two databases with the same
 * rows give the same digest whatever their page layout.
 */
import { createHash } from "node:crypto";
import type SqliteDatabase from "better-sqlite3";

export interface TableChecksum {
  rows: number;
  sha256: string;
}

export type DatabaseChecksums = Record<string, TableChecksum>;

export function databaseChecksums(db: SqliteDatabase.Database): DatabaseChecksums {
  const tables = db
    .prepare<[], { name: string; withoutRowid: number }>(
      `SELECT name, (sql LIKE '%WITHOUT ROWID%') AS withoutRowid FROM sqlite_master
       WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`,
    )
    .all();
  const out: DatabaseChecksums = {};
  for (const { name, withoutRowid } of tables) {
    const quoted = `"${name.replaceAll('"', '""')}"`;
    // WITHOUT ROWID tables are stored in primary-key order, which a full scan follows.
    const sql = withoutRowid ? `SELECT * FROM ${quoted}` : `SELECT * FROM ${quoted} ORDER BY rowid`;
    const hash = createHash("sha256");
    let rows = 0;
    for (const row of db.prepare(sql).raw().iterate() as IterableIterator<unknown[]>) {
      hash.update(JSON.stringify(row.map(encodeValue)));
      hash.update("\n");
      rows++;
    }
    out[name] = { rows, sha256: hash.digest("hex") };
  }
  return out;
}

/** Tables whose rows differ between two checksum sets (missing on either side counts as different). */
export function checksumDifferences(expected: DatabaseChecksums, actual: DatabaseChecksums): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names]
    .filter((n) => expected[n]?.rows !== actual[n]?.rows || expected[n]?.sha256 !== actual[n]?.sha256)
    .sort();
}

function encodeValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { blob: v.toString("base64") };
  if (typeof v === "bigint") return { int: v.toString() };
  return v;
}

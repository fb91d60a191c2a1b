/**
 * Fills every table of a database, whatever its schema version, with a few rows that satisfy its constraints,
 * read from the schema itself (column types, defaults, foreign keys, `CHECK (x IN (...))` and
 * `CHECK (x BETWEEN a AND b)`). The upgrade tests use it so that each new migration is tested against data at
 * every earlier version without anyone writing fixtures. A table it cannot fill fails loudly: add a value
 * for the column to SEED_HINTS.
 */
import type SqliteDatabase from "better-sqlite3";

/** Values for columns the schema alone cannot explain, by "table.column"; called with the row index. */
export const SEED_HINTS: Record<string, (i: number) => unknown> = {};

interface Column {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}
interface ForeignKey {
  table: string;
  from: string;
  to: string | null;
}

export function seedDatabase(db: SqliteDatabase.Database, rowsPerTable = 3): Record<string, number> {
  const tables = db
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       AND name <> 'schema_migrations'`,
    )
    .all();
  const fks = new Map(
    tables.map((t) => [t.name, db.prepare(`PRAGMA foreign_key_list("${t.name}")`).all() as ForeignKey[]]),
  );
  const inserted: Record<string, Record<string, unknown>[]> = {};
  const pending = [...tables];
  while (pending.length > 0) {
    const index = pending.findIndex((t) =>
      (fks.get(t.name) ?? []).every((fk) => fk.table === t.name || fk.table in inserted),
    );
    if (index < 0) throw new Error(`Cannot order tables by foreign keys: ${pending.map((t) => t.name)}`);
    const [table] = pending.splice(index, 1);
    const columns = db.prepare(`PRAGMA table_info("${table.name}")`).all() as Column[];
    inserted[table.name] = [];
    for (let i = 0; i < rowsPerTable; i++) {
      const row: Record<string, unknown> = {};
      for (const c of columns) {
        const fk = fks.get(table.name)?.find((f) => f.from === c.name);
        row[c.name] = fk ? parentValue(db, inserted, fk, i) : valueFor(table.name, table.sql, c, i);
      }
      const names = Object.keys(row);
      try {
        db.prepare(
          `INSERT INTO "${table.name}" (${names.map((n) => `"${n}"`).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
        ).run(...names.map((n) => row[n]));
      } catch (err) {
        throw new Error(
          `seedDatabase cannot fill ${table.name} (${(err as Error).message}); add SEED_HINTS for its columns`,
        );
      }
      inserted[table.name].push(row);
    }
  }
  return Object.fromEntries(Object.entries(inserted).map(([t, rows]) => [t, rows.length]));
}

function parentValue(
  db: SqliteDatabase.Database,
  inserted: Record<string, Record<string, unknown>[]>,
  fk: ForeignKey,
  i: number,
): unknown {
  const parents = inserted[fk.table];
  const to =
    fk.to ??
    (db.prepare(`PRAGMA table_info("${fk.table}")`).all() as Column[]).find((c) => c.pk === 1)?.name ??
    "rowid";
  return parents[i % parents.length][to];
}

function valueFor(table: string, sql: string, c: Column, i: number): unknown {
  const hint = SEED_HINTS[`${table}.${c.name}`];
  if (hint) return hint(i);
  const name = c.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const inList = new RegExp(`CHECK\\s*\\(\\s*"?${name}"?\\s+IN\\s*\\(([^)]*)\\)`, "i").exec(sql);
  if (inList) {
    const values = inList[1].split(",").map((v) => v.trim().replace(/^'(.*)'$/, "$1"));
    return values[i % values.length];
  }
  const between = new RegExp(
    `CHECK\\s*\\(\\s*"?${name}"?\\s+BETWEEN\\s+(-?\\d+)\\s+AND\\s+(-?\\d+)`,
    "i",
  ).exec(sql);
  if (between) return Number(between[1]) + i + 1;
  const type = c.type.toUpperCase();
  if (c.dflt_value === "'{}'" || c.dflt_value === "'[]'") return c.dflt_value.slice(1, -1);
  if (type.includes("INT")) return c.pk ? i + 1 : 1_700_000_000_000 + i;
  if (type.includes("REAL") || type.includes("FLOA") || type.includes("DOUB")) return 1.5 + i;
  if (type.includes("BLOB")) return Buffer.from([i, 1, 2, 3]);
  return `${table}.${c.name}.${i}`;
}

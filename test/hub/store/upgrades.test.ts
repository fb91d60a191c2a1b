/**
 * Schema upgrades, generic over MIGRATIONS so every future migration is covered without new fixtures: for each
 * earlier version, build a database at that version, fill every table, migrate to the latest and check nothing
 * was lost, the result has exactly the schema of a fresh database, and a restorable backup was taken first.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import { readBackupManifest, restoreBackup } from "../../../hub/ops/backup-archive.ts";
import { listBackupFiles } from "../../../hub/ops/backup-files.ts";
import { databaseChecksums } from "../../../hub/ops/db-checksums.ts";
import { openDatabase, PRE_MIGRATION_KEEP, schemaVersion } from "../../../hub/store/database.ts";
import { MIGRATIONS } from "../../../hub/store/migrations/index.ts";
import { seedDatabase } from "../../support/seed-database.ts";
import { silentLogger, tempDir } from "./helpers.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir("upgrade")));
afterEach(() => cleanup());

const latest = MIGRATIONS.at(-1)!.version;

/** Columns and indexes of every table, comparable between a migrated and a fresh database. */
function schemaShape(db: SqliteDatabase.Database): Record<string, unknown> {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .all();
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      {
        columns: db.prepare(`PRAGMA table_info("${name}")`).all(),
        foreignKeys: db.prepare(`PRAGMA foreign_key_list("${name}")`).all(),
        indexes: db
          .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`)
          .all(name),
      },
    ]),
  );
}

describe("schema upgrades", () => {
  it("the seeder fills every table of the latest schema", () => {
    const db = openDatabase(join(dir, "sweephub.db"), silentLogger);
    const counts = seedDatabase(db);
    db.close();
    assert.ok(Object.keys(counts).length >= 3);
    for (const [table, n] of Object.entries(counts)) assert.equal(n, 3, table);
  });

  for (let from = 1; from < latest; from++) {
    it(`migrates a database with data from version ${from} to ${latest}`, async () => {
      const dataDir = join(dir, "data");
      const file = join(dataDir, "sweephub.db");
      const old = openDatabase(file, silentLogger, { migrations: MIGRATIONS.slice(0, from) });
      assert.equal(schemaVersion(old), from);
      seedDatabase(old);
      const before = databaseChecksums(old);
      old.close();

      const db = openDatabase(file, silentLogger, { now: () => Date.UTC(2026, 0, 2) });
      try {
        assert.equal(schemaVersion(db), latest);
        assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
        assert.deepEqual(db.pragma("foreign_key_check"), []);
        const after = databaseChecksums(db);
        for (const [table, { rows }] of Object.entries(before)) {
          if (table === "schema_migrations") continue;
          assert.ok(after[table], `table ${table} disappeared`);
          assert.equal(after[table].rows, rows, `rows of ${table}`);
        }
        const fresh = openDatabase(join(dir, "fresh", "sweephub.db"), silentLogger);
        assert.deepEqual(schemaShape(db), schemaShape(fresh));
        fresh.close();
      } finally {
        db.close();
      }

      const backups = listBackupFiles(join(dataDir, "backups"));
      assert.equal(backups.length, 1);
      assert.equal(backups[0].kind, "pre-migration");
      assert.match(backups[0].name, new RegExp(`-v${from}-to-v${latest}-`));
      const manifest = await readBackupManifest(backups[0].path);
      assert.equal(manifest.schemaVersion, from);
      assert.deepEqual(manifest.database, before);
      const restored = join(dir, "restored");
      await restoreBackup({ file: backups[0].path, dataDir: restored });
      const check = new SqliteDatabase(join(restored, "sweephub.db"), { readonly: true });
      assert.equal(schemaVersion(check), from);
      assert.deepEqual(databaseChecksums(check), before);
      check.close();
    });
  }

  it("keeps the newest pre-migration backups only", () => {
    const dataDir = join(dir, "steps");
    const file = join(dataDir, "sweephub.db");
    let clock = Date.UTC(2026, 0, 1);
    const now = () => (clock += 60_000);
    openDatabase(file, silentLogger, { migrations: MIGRATIONS.slice(0, 1), now }).close();
    // Upgrade one version at a time: one archive per upgrade, the oldest go beyond PRE_MIGRATION_KEEP.
    for (let to = 2; to <= latest; to++) {
      openDatabase(file, silentLogger, { migrations: MIGRATIONS.slice(0, to), now }).close();
    }
    const steps = listBackupFiles(join(dataDir, "backups")).map((b) => /-(v\d+-to-v\d+)-/.exec(b.name)?.[1]);
    const all = Array.from({ length: latest - 1 }, (_, i) => `v${i + 1}-to-v${i + 2}`).reverse();
    assert.deepEqual(steps, all.slice(0, PRE_MIGRATION_KEEP));
  });

  it("takes no backup when creating a new database or when nothing is pending", () => {
    const dataDir = join(dir, "data");
    openDatabase(join(dataDir, "sweephub.db"), silentLogger).close();
    openDatabase(join(dataDir, "sweephub.db"), silentLogger).close();
    assert.deepEqual(listBackupFiles(join(dataDir, "backups")), []);
  });
});

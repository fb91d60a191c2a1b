import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { DatabaseError, openDatabase, schemaVersion } from "../../../hub/store/database.ts";
import { MIGRATIONS } from "../../../hub/store/migrations/index.ts";
import type { Migration } from "../../../hub/store/migrations/migration.ts";
import { silentLogger, tempDir } from "./helpers.ts";

/** Versions relative to the shipped list, so adding a migration does not break these tests. */
const LATEST = MIGRATIONS.length;
const NEXT = LATEST + 1;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir("db")));
afterEach(() => cleanup());

describe("openDatabase", () => {
  it("creates the folder (0700) and sets WAL, foreign keys, busy timeout and synchronous", () => {
    const file = join(dir, "nested", "hub.db");
    const db = openDatabase(file, silentLogger);
    try {
      assert.equal(statSync(join(dir, "nested")).mode & 0o777, 0o700);
      assert.equal(db.pragma("journal_mode", { simple: true }), "wal");
      assert.equal(db.pragma("foreign_keys", { simple: true }), 1);
      assert.equal(db.pragma("busy_timeout", { simple: true }), 5000);
      assert.equal(db.pragma("synchronous", { simple: true }), 1); // NORMAL
    } finally {
      db.close();
    }
  });

  it("applies every migration once, recording each and setting user_version", () => {
    const file = join(dir, "hub.db");
    let t = 1000;
    const db = openDatabase(file, silentLogger, { now: () => t++ });
    const latest = MIGRATIONS.at(-1)!.version;
    assert.equal(db.pragma("user_version", { simple: true }), latest);
    const rows = db.prepare("SELECT version, name, applied_at FROM schema_migrations ORDER BY version").all();
    assert.deepEqual(
      rows,
      MIGRATIONS.map((m, i) => ({ version: m.version, name: m.name, applied_at: 1000 + i })),
    );
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    for (const t of [
      "cleaning_sessions",
      "hub_settings",
      "robots",
      "schema_migrations",
      "users",
      "audit_log",
    ])
      assert.ok(tables.includes(t), `table ${t} exists`);
    db.close();

    const again = openDatabase(file, silentLogger, { now: () => 9999 });
    assert.deepEqual(
      again.prepare("SELECT version, applied_at FROM schema_migrations").all(),
      MIGRATIONS.map((m, i) => ({ version: m.version, applied_at: 1000 + i })),
    );
    again.close();
  });

  it("applies only the new steps when the code gains a migration", () => {
    const file = join(dir, "hub.db");
    openDatabase(file, silentLogger).close();
    const calls: number[] = [];
    const step2: Migration = {
      version: NEXT,
      name: "add-notes",
      up(db) {
        calls.push(NEXT);
        db.exec("ALTER TABLE robots ADD COLUMN notes TEXT NOT NULL DEFAULT ''");
      },
    };
    const db = openDatabase(file, silentLogger, { migrations: [...MIGRATIONS, step2] });
    assert.deepEqual(calls, [NEXT]);
    assert.equal(schemaVersion(db), NEXT);
    db.close();
  });

  it("rolls back a failing migration and leaves the previous version", () => {
    const file = join(dir, "hub.db");
    openDatabase(file, silentLogger).close();
    const broken: Migration = {
      version: NEXT,
      name: "broken",
      up(db) {
        db.exec("CREATE TABLE half_done (x INTEGER)");
        throw new Error("boom");
      },
    };
    assert.throws(
      () => openDatabase(file, silentLogger, { migrations: [...MIGRATIONS, broken] }),
      (err: unknown) =>
        err instanceof DatabaseError &&
        err.code === "DB_MIGRATION_FAILED" &&
        new RegExp(`${NEXT} \\(broken\\).*boom`).test(err.message),
    );
    const db = openDatabase(file, silentLogger);
    assert.equal(schemaVersion(db), LATEST);
    assert.equal(db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").get(), undefined);
    db.close();
  });

  it("refuses a database from a newer version and leaves it byte-identical", () => {
    const file = join(dir, "hub.db");
    const future: Migration = {
      version: NEXT,
      name: "future",
      up: (db) => db.exec("CREATE TABLE future (x)"),
    };
    const newer = openDatabase(file, silentLogger, { migrations: [...MIGRATIONS, future] });
    // Rollback-journal mode, so that merely switching it to WAL would change the file's header bytes.
    newer.pragma("journal_mode = DELETE");
    newer.close();
    const before = readFileSync(file);
    const mtime = statSync(file).mtimeMs;

    assert.throws(
      () => openDatabase(file, silentLogger),
      (err: unknown) =>
        err instanceof DatabaseError &&
        err.code === "DB_TOO_NEW" &&
        err.message.includes(`schema version ${NEXT}`) &&
        err.message.includes(`up to ${LATEST}`) &&
        err.message.includes(file),
    );
    assert.deepEqual(readFileSync(file), before);
    assert.equal(statSync(file).mtimeMs, mtime);
  });

  it("refuses a file that is not a database without changing it", () => {
    const file = join(dir, "hub.db");
    const junk = "this is not sqlite ".repeat(300);
    writeFileSync(file, junk);
    assert.throws(
      () => openDatabase(file, silentLogger),
      (err: unknown) => err instanceof DatabaseError && err.code === "DB_UNREADABLE",
    );
    assert.equal(readFileSync(file, "utf8"), junk);
  });

  it("rejects a migration list with gaps", () => {
    const skip: Migration = { version: NEXT + 1, name: "skip", up: () => {} };
    assert.throws(
      () => openDatabase(join(dir, "x.db"), silentLogger, { migrations: [...MIGRATIONS, skip] }),
      new RegExp(`version ${NEXT + 1}, expected ${NEXT}`),
    );
    assert.equal(existsSync(join(dir, "x.db")), false);
  });
});

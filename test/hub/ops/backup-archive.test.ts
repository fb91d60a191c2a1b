import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import SqliteDatabase from "better-sqlite3";
import * as tar from "tar";
import {
  BackupError,
  createBackup,
  readBackupManifest,
  restoreBackup,
} from "../../../hub/ops/backup-archive.ts";
import { databaseChecksums } from "../../../hub/ops/db-checksums.ts";
import { openDatabase } from "../../../hub/store/database.ts";
import { MIGRATIONS } from "../../../hub/store/migrations/index.ts";
import { seedDatabase } from "../../support/seed-database.ts";
import { silentLogger, tempDir } from "../store/helpers.ts";

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir("archive")));
afterEach(() => cleanup());

const isBackupError = (code: string) => (err: unknown) => err instanceof BackupError && err.code === code;

describe("backup archives", () => {
  it("a backup taken while the hub writes is a consistent snapshot: a gap-free prefix of what was written", async () => {
    const data = join(dir, "data");
    const db = openDatabase(join(data, "sweephub.db"), silentLogger);
    const insert = db.prepare("INSERT INTO hub_settings (key, value) VALUES (?, ?)");
    // Enough data that the online backup takes several steps, with writes landing between them.
    const bulk = db.transaction((from: number) => {
      for (let i = from; i < from + 2000; i++)
        insert.run(`seq-${String(i).padStart(8, "0")}`, `value ${i} ${"x".repeat(200)}`);
    });
    bulk(0);
    let next = 2000;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        insert.run(`seq-${String(next).padStart(8, "0")}`, `value ${next} ${"x".repeat(200)}`);
        next++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = join(dir, "backup.tar.gz");
    const { manifest } = await createBackup({ dataDir: data, db, out, kind: "manual", hubVersion: "test" });
    writing = false;
    await writer;
    const live = db.prepare("SELECT key, value FROM hub_settings WHERE key LIKE 'seq-%' ORDER BY key").all();
    db.close();

    const target = join(dir, "restored");
    await restoreBackup({ file: out, dataDir: target });
    const copy = new SqliteDatabase(join(target, "sweephub.db"), { readonly: true });
    const rows = copy
      .prepare("SELECT key, value FROM hub_settings WHERE key LIKE 'seq-%' ORDER BY key")
      .all();
    assert.deepEqual(databaseChecksums(copy), manifest.database);
    copy.close();
    assert.ok(rows.length >= 2000, "everything written before the backup started is in it");
    assert.deepEqual(rows, live.slice(0, rows.length), "no gaps, no torn rows");
  });

  it("refuses an archive whose database does not match its manifest, leaving the folder empty", async () => {
    const data = join(dir, "data");
    const db = openDatabase(join(data, "sweephub.db"), silentLogger);
    seedDatabase(db);
    db.close();
    const good = join(dir, "good.tar.gz");
    await createBackup({ dataDir: data, out: good, kind: "manual", hubVersion: "test" });
    // Unpack, change one row, pack again with the old manifest.
    const work = join(dir, "work");
    mkdirSync(work);
    await tar.x({ file: good, cwd: work });
    const tampered = new SqliteDatabase(join(work, "sweephub.db"));
    tampered.prepare("UPDATE robots SET name = 'evil' WHERE rowid = 1").run();
    tampered.close();
    const bad = join(dir, "bad.tar.gz");
    await tar.c({ gzip: true, cwd: work, file: bad }, readdirSync(work));
    const target = join(dir, "target");
    await assert.rejects(
      restoreBackup({ file: bad, dataDir: target }),
      (err: unknown) =>
        isBackupError("BACKUP_INVALID")(err) &&
        /differ from the manifest in robots/.test((err as Error).message),
    );
    assert.deepEqual(readdirSync(target), []);
  });

  it("refuses a backup from a newer schema, a non-empty target, and a file that is not an archive", async () => {
    const data = join(dir, "data");
    const future = { version: MIGRATIONS.length + 1, name: "future", up: () => {} };
    openDatabase(join(data, "sweephub.db"), silentLogger, { migrations: [...MIGRATIONS, future] }).close();
    const out = join(dir, "newer.tar.gz");
    await createBackup({ dataDir: data, out, kind: "manual", hubVersion: "9.9.9" });
    assert.equal((await readBackupManifest(out)).schemaVersion, MIGRATIONS.length + 1);
    await assert.rejects(
      restoreBackup({ file: out, dataDir: join(dir, "t1") }),
      isBackupError("BACKUP_TOO_NEW"),
    );
    assert.deepEqual(readdirSync(join(dir, "t1")), []);

    await assert.rejects(
      restoreBackup({ file: out, dataDir: data }),
      isBackupError("BACKUP_TARGET_NOT_EMPTY"),
    );
    writeFileSync(join(dir, "junk.tar.gz"), "junk");
    await assert.rejects(
      restoreBackup({ file: join(dir, "junk.tar.gz"), dataDir: join(dir, "t2") }),
      isBackupError("BACKUP_INVALID"),
    );
  });

  it("archives the data folder without the live database files, backups, the simulator, links and sockets", async () => {
    const data = join(dir, "data");
    openDatabase(join(data, "sweephub.db"), silentLogger).close();
    mkdirSync(join(data, "matter", "node-1"), { recursive: true });
    writeFileSync(join(data, "matter", "node-1", "fabric.json"), "{}");
    mkdirSync(join(data, "simulator"));
    writeFileSync(join(data, "simulator", "x"), "");
    symlinkSync("/etc/passwd", join(data, "matter", "link"));
    // A listening Unix socket inside a kept folder (and the demo's bridge socket in run/) is not data.
    mkdirSync(join(data, "run"));
    const sockets = [join(data, "matter", "ipc.sock"), join(data, "run", "demo-http.sock")].map((path) => {
      const server = createServer();
      server.listen(path);
      return server;
    });
    await Promise.all(sockets.map((s) => new Promise((r) => s.once("listening", r))));
    const out = join(data, "backups", "b.tar.gz");
    const { manifest } = await createBackup({ dataDir: data, out, kind: "manual", hubVersion: "test" });
    assert.deepEqual(
      manifest.files.filter((f) => !f.startsWith("keys/")),
      ["matter/node-1/fabric.json", "sweephub.db"],
    );
    const target = join(dir, "t");
    await restoreBackup({ file: out, dataDir: target });
    assert.ok(existsSync(join(target, "matter", "node-1", "fabric.json")));
    assert.equal(existsSync(join(target, "matter", "link")), false);
    assert.equal(existsSync(join(target, "simulator")), false);
    for (const s of sockets) s.close();
  });
});

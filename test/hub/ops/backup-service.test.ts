import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { backupFileName, listBackupFiles } from "../../../hub/ops/backup-files.ts";
import { BackupService } from "../../../hub/ops/backup-service.ts";
import { HubMetrics } from "../../../hub/ops/metrics.ts";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { waitFor } from "../../support/harness.ts";
import { silentLogger, tempDir } from "../store/helpers.ts";

let dir: string;
let cleanup: () => void;
let db: Database;
beforeEach(() => {
  ({ dir, cleanup } = tempDir("backups"));
  db = openDatabase(join(dir, "sweephub.db"), silentLogger);
});
afterEach(() => {
  db.close();
  cleanup();
});

const HOUR = 3_600_000;

function service(
  now: () => number,
  config: { schedule?: "off" | "hourly" | "daily" | "weekly"; keep?: number; dir?: string } = {},
) {
  const metrics = new HubMetrics("test");
  const s = new BackupService({
    log: silentLogger,
    db,
    dataDir: dir,
    config: { schedule: "daily", keep: 2, dir: "", ...config },
    hubVersion: "test",
    metrics,
    now,
  });
  return { s, metrics };
}

describe("BackupService", () => {
  it("is due at once without a scheduled backup, else one interval after the newest; never when off", () => {
    const t = Date.UTC(2026, 0, 10, 12);
    assert.equal(service(() => t).s.nextDue(), t);
    assert.equal(service(() => t, { schedule: "off" }).s.nextDue(), null);
    const { s } = service(() => t, { schedule: "hourly" });
    mkdirSync(s.dir, { recursive: true });
    writeFileSync(join(s.dir, backupFileName("scheduled", t - 10 * 60_000)), "");
    writeFileSync(join(s.dir, backupFileName("manual", t - 60_000)), "");
    assert.equal(s.nextDue(), t + 50 * 60_000);
  });

  it("rotates scheduled backups to `keep`, never manual ones, and counts them", async () => {
    let t = Date.UTC(2026, 0, 10, 12);
    const { s, metrics } = service(() => t);
    await s.backupNow("manual");
    for (let i = 0; i < 4; i++) {
      t += HOUR;
      await s.backupNow("scheduled");
    }
    const kinds = s.list().map((b) => b.kind);
    assert.deepEqual(kinds, ["scheduled", "scheduled", "manual"]);
    const text = await metrics.text();
    assert.match(text, /sweephub_backups_total\{kind="scheduled",outcome="ok"\} 4/);
    assert.match(text, new RegExp(`sweephub_backup_last_success_timestamp_seconds ${t / 1000}`));
  });

  it("runs the due backup on start, and after a failure waits before trying again", async () => {
    const t = Date.now();
    const ok = service(() => t);
    ok.s.start();
    await waitFor("the scheduled backup", () => listBackupFiles(ok.s.dir).length === 1);
    await ok.s.stop();

    const blocked = join(dir, "not-a-folder");
    writeFileSync(blocked, "");
    const failing = service(() => t, { dir: blocked });
    failing.s.start();
    await waitFor("the failure counted", async () =>
      /sweephub_backups_total\{kind="scheduled",outcome="failed"\} 1/.test(await failing.metrics.text()),
    );
    await failing.s.stop();
    assert.equal(failing.s.nextDue(), t + 15 * 60_000);
  });
});

/**
 * Scheduled backups with rotation (config `backup`), and backups on request (API, CLI against a running hub).
 * The next scheduled backup is due one interval after the newest scheduled archive on disk, so a hub restarted
 * every night still backs up daily and a fresh start with an old archive backs up right away. Only one backup
 * runs at a time; stop() waits for a running one so an archive is never cut off half-written.
 */
import { rmSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { Config } from "../config/schema.ts";
import type { Service } from "../core/service-controller.ts";
import type { Logger } from "../logging.ts";
import type { Database } from "../store/database.ts";
import { type BackupKind, type BackupResult, createBackup } from "./backup-archive.ts";
import { type BackupFile, backupFileName, listBackupFiles } from "./backup-files.ts";
import type { HubMetrics } from "./metrics.ts";

const INTERVAL_MS = { hourly: 3_600_000, daily: 86_400_000, weekly: 7 * 86_400_000 } as const;
const RETRY_MS = 15 * 60_000;
/** setTimeout's largest delay; longer waits are taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

export interface BackupServiceOptions {
  log: Logger;
  db: Database;
  dataDir: string;
  config: Config["backup"];
  hubVersion: string;
  metrics?: HubMetrics;
  now?: () => number;
}

/** The folder backups go to: `backup.dir` (relative to the data folder) or `<data>/backups`. */
export function backupDir(dataDir: string, config: Config["backup"]): string {
  if (!config.dir) return join(dataDir, "backups");
  return isAbsolute(config.dir) ? config.dir : resolve(dataDir, config.dir);
}

export class BackupService implements Service {
  readonly name = "backup";
  readonly required = false;
  readonly dir: string;
  readonly #opts: BackupServiceOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<BackupResult> | null = null;
  #stopped = true;
  /** Not before this time: set after a failed scheduled backup. */
  #retryAt = 0;

  constructor(options: BackupServiceOptions) {
    this.#opts = options;
    this.dir = backupDir(options.dataDir, options.config);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
  }

  list(): BackupFile[] {
    return listBackupFiles(this.dir);
  }

  /** Writes a backup now (after any running one); scheduled ones also rotate. */
  async backupNow(kind: Extract<BackupKind, "manual" | "scheduled"> = "manual"): Promise<BackupResult> {
    while (this.#running) await this.#running.catch(() => {});
    const now = this.#opts.now ?? Date.now;
    const out = join(this.dir, backupFileName(kind, now()));
    this.#running = createBackup({
      dataDir: this.#opts.dataDir,
      db: this.#opts.db,
      out,
      kind,
      hubVersion: this.#opts.hubVersion,
      now,
    });
    try {
      const result = await this.#running;
      this.#opts.metrics?.backups.inc({ kind, outcome: "ok" });
      this.#opts.metrics?.backupLastSuccess.set(now() / 1000);
      this.#opts.log.info({ file: result.file, kind }, "backup written");
      if (kind === "scheduled") this.#rotate();
      return result;
    } catch (err) {
      this.#opts.metrics?.backups.inc({ kind, outcome: "failed" });
      const { schedule } = this.#opts.config;
      // A failing scheduled backup (disk full, NAS gone) is retried in a while instead of at once.
      if (kind === "scheduled" && schedule !== "off")
        this.#retryAt = now() + Math.min(INTERVAL_MS[schedule], RETRY_MS);
      this.#opts.log.error({ err, kind, dir: this.dir }, "backup failed");
      throw err;
    } finally {
      this.#running = null;
    }
  }

  /** When the next scheduled backup is due (ms since the epoch), or null when scheduling is off. */
  nextDue(): number | null {
    const { schedule } = this.#opts.config;
    if (schedule === "off") return null;
    const newest = this.list().find((b) => b.kind === "scheduled");
    const due = newest ? newest.createdAt + INTERVAL_MS[schedule] : (this.#opts.now ?? Date.now)();
    return Math.max(due, this.#retryAt);
  }

  #schedule(): void {
    const due = this.nextDue();
    if (due === null || this.#stopped) return;
    const delay = Math.max(0, due - (this.#opts.now ?? Date.now)());
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        if (delay > MAX_TIMER_MS) return this.#schedule();
        this.backupNow("scheduled")
          .catch(() => {}) // logged, counted and retried later by backupNow
          .finally(() => {
            if (!this.#stopped) this.#timer = setTimeout(() => this.#schedule(), 1000).unref();
          });
      },
      Math.min(delay, MAX_TIMER_MS),
    );
    this.#timer.unref();
  }

  #rotate(): void {
    const scheduled = this.list().filter((b) => b.kind === "scheduled");
    for (const old of scheduled.slice(this.#opts.config.keep)) {
      try {
        rmSync(old.path, { force: true });
        this.#opts.log.info({ file: old.path }, "deleted old scheduled backup");
      } catch (err) {
        this.#opts.log.warn({ err, file: old.path }, "could not delete an old backup");
      }
    }
  }
}

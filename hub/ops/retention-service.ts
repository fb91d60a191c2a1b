/**
 * Deletes history older than `retention.days`: once at start (a hub that was off for a month catches up) and
 * then every hour. Each kind of history is a target with its own delete function, so maps or recordings join by
 * adding a target in the composition root. Deletions are counted in metrics and logged.
 */
import type { Service } from "../core/service-controller.ts";
import type { Logger } from "../logging.ts";
import type { HubMetrics } from "./metrics.ts";

export interface RetentionTarget {
  /** Metric label and log field: "cleaning_sessions", "maps", ... */
  kind: string;
  /** Deletes what ended before `cutoffMs`; returns how many rows (or files) went. */
  deleteOlderThan(cutoffMs: number): number;
}

export interface RetentionOptions {
  log: Logger;
  days: number;
  targets: RetentionTarget[];
  metrics?: HubMetrics;
  now?: () => number;
  intervalMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class RetentionService implements Service {
  readonly name = "retention";
  readonly required = false;
  readonly #opts: RetentionOptions;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: RetentionOptions) {
    this.#opts = options;
  }

  start(): void {
    this.runOnce();
    this.#timer = setInterval(() => this.runOnce(), this.#opts.intervalMs ?? 60 * 60 * 1000);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** One pass over every target; a failing target is logged and does not stop the others. */
  runOnce(): Record<string, number> {
    const cutoff = (this.#opts.now ?? Date.now)() - this.#opts.days * DAY_MS;
    const deleted: Record<string, number> = {};
    for (const target of this.#opts.targets) {
      try {
        const n = target.deleteOlderThan(cutoff);
        deleted[target.kind] = n;
        if (n > 0) {
          this.#opts.metrics?.retentionDeleted.inc({ kind: target.kind }, n);
          this.#opts.log.info(
            { kind: target.kind, deleted: n, days: this.#opts.days },
            "deleted old history",
          );
        }
      } catch (err) {
        this.#opts.log.error({ err, kind: target.kind }, "retention could not delete old history");
      }
    }
    return deleted;
  }
}

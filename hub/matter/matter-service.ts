/**
 * The Matter service as the hub sees it: a small, always-loaded facade. matter.js (about 2.5 s to import and
 * ~100 MiB of memory) is imported only when Matter is enabled, and only after the HTTP API and robot sessions
 * are up: `start()` returns at once and Matter comes online in the background; `status()` says how far it got.
 */
import { join } from "node:path";
import type { Config } from "../config/load.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import type { MatterRepository } from "../store/matter-repository.ts";
import type { MatterRuntime } from "./matter-runtime.ts";
import type { MatterNodeInfo, MatterState, MatterStatus } from "./matter-types.ts";

export interface MatterServiceOptions {
  config: Config["matter"];
  hubName: string;
  hubVersion: string;
  dataDir: string;
  robots: RobotManager;
  bus: EventBus;
  repo: MatterRepository;
  log: Logger;
}

export class MatterService {
  readonly #opts: MatterServiceOptions;
  #state: MatterState;
  #error: string | null = null;
  #runtime: MatterRuntime | null = null;
  #starting: Promise<void> | null = null;
  #startedInMs: number | null = null;

  constructor(options: MatterServiceOptions) {
    this.#opts = options;
    this.#state = options.config.enabled ? "stopped" : "disabled";
  }

  /** Begins starting Matter and returns at once (off the hub's critical path). */
  start(): void {
    if (!this.#opts.config.enabled || this.#starting) return;
    this.#state = "starting";
    const t0 = performance.now();
    this.#starting = this.#load()
      .then(() => {
        this.#startedInMs = Math.round(performance.now() - t0);
        this.#state = "running";
        this.#opts.log.info({ ms: this.#startedInMs, mode: this.#opts.config.mode }, "Matter running");
      })
      .catch((err: unknown) => {
        this.#state = "failed";
        this.#error = err instanceof Error ? err.message : String(err);
        this.#opts.log.error({ err }, "Matter failed to start; the rest of the hub runs without it");
      });
  }

  async #load(): Promise<void> {
    // Let the hub answer its first requests before the (synchronous) module evaluation of matter.js begins.
    await new Promise((r) => setImmediate(r));
    await prepareMatterEnvironment();
    const { MatterRuntime } = await import("./matter-runtime.ts");
    const o = this.#opts;
    const runtime = new MatterRuntime({
      config: o.config,
      hubName: o.hubName,
      hubVersion: o.hubVersion,
      storageDir: join(o.dataDir, "matter"),
      robots: o.robots,
      bus: o.bus,
      repo: o.repo,
      log: o.log,
    });
    this.#runtime = runtime;
    await runtime.start();
  }

  async stop(): Promise<void> {
    await this.#starting;
    await this.#runtime?.stop();
    this.#runtime = null;
    this.#starting = null;
    if (this.#state !== "disabled") this.#state = "stopped";
  }

  /** Resolves once Matter runs (tests, benchmarks); rejects if it failed or is disabled. */
  async ready(): Promise<void> {
    await this.#starting;
    if (this.#state !== "running") throw new HubError("matter_unavailable", this.#error ?? undefined);
  }

  /** Resolves when every queued node change and attribute write is done. */
  async settled(): Promise<void> {
    await this.#runtime?.settled();
  }

  status(): MatterStatus {
    return {
      enabled: this.#opts.config.enabled,
      state: this.#state,
      mode: this.#opts.config.mode,
      error: this.#error,
      startedInMs: this.#startedInMs,
      nodes: this.#state === "running" ? (this.#runtime?.nodes() ?? []) : [],
    };
  }

  node(robotId: string): MatterNodeInfo {
    return this.#running().nodeFor(robotId);
  }

  openCommissioningWindow(robotId: string): Promise<MatterNodeInfo> {
    return this.#running().openCommissioningWindow(robotId);
  }

  removeFabric(robotId: string, fabricIndex: number): Promise<MatterNodeInfo> {
    return this.#running().removeFabric(robotId, fabricIndex);
  }

  #running(): MatterRuntime {
    if (!this.#opts.config.enabled) throw new HubError("matter_disabled");
    if (this.#state !== "running" || !this.#runtime)
      throw new HubError(
        "matter_unavailable",
        this.#error ? `Matter failed to start: ${this.#error}` : undefined,
      );
    return this.#runtime;
  }
}

/**
 * matter.js reads process.argv, a config.json and installs signal handlers when it first loads (MATTER-NOTES
 * pitfall 5): our CLI's own flags would become matter.js variables, and its SIGINT handler would race the
 * hub's shutdown. These switches must be set before the first import of @matter/main.
 */
async function prepareMatterEnvironment(): Promise<void> {
  const { config } = await import("@matter/nodejs/config");
  const set = (apply: () => void) => {
    try {
      apply();
    } catch {
      // Already initialized (a test imported matter.js first): the variables set in MatterRuntime still apply.
    }
  };
  set(() => {
    config.loadProcessArgv = false;
  });
  set(() => {
    config.loadConfigFile = false;
  });
  set(() => {
    config.trapProcessSignals = false;
  });
  set(() => {
    config.setProcessExitCodeOnError = false;
  });
}

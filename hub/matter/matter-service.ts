/**
 * The Matter service as the hub sees it: a small, always-loaded facade over a worker thread that hosts matter.js
 * (matter-worker.ts). matter.js costs about 2.5 s of synchronous module evaluation and ~100 MiB, and each robot
 * update becomes a matter.js transaction; in the worker none of that blocks the hub's event loop (docs/matter.md
 * "Runtime"). The worker starts only when Matter is enabled and after the API and robot sessions are up: `start()`
 * returns at once and `status()` says how far it got. This side owns robots, commands and SQLite; it forwards
 * robot changes to the worker and answers the worker's requests. A worker that dies is restarted with backoff.
 */
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { Config } from "../config/load.ts";
import { LOG_LEVELS } from "../config/schema.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { Logger } from "../logging.ts";
import { inRoomOrder } from "../maps/room-order.ts";
import type { RobotManager } from "../robots/robot-manager.ts";
import type { MatterRepository } from "../store/matter-repository.ts";
import type { MatterNodeInfo, MatterState, MatterStatus } from "./matter-types.ts";
import {
  checkFromWorker,
  errorBodyOf,
  type FromWorker,
  hubErrorOf,
  type ToWorker,
  type WorkerCall,
  type WorkerRequest,
} from "./worker-messages.ts";

export interface MatterServiceOptions {
  config: Config["matter"];
  hubName: string;
  hubVersion: string;
  dataDir: string;
  robots: RobotManager;
  bus: EventBus;
  repo: MatterRepository;
  log: Logger;
  now?: () => number;
  /** Room ids of a floor in the user's order (the maps feature); ServiceArea lists rooms in it. */
  roomOrder?: (robotId: string, floor: string) => readonly string[];
}

/** Waits before restarting a worker that died: 1 s, 2 s, 5 s ... then every minute. */
const RESTART_BACKOFF_MS = [1_000, 2_000, 5_000, 15_000, 30_000, 60_000];
/** A worker that ran this long before dying starts the backoff again from the beginning. */
const STABLE_MS = 60_000;
/** How long the worker gets to close its nodes (and flush matter.js storage) before it is terminated. */
const STOP_GRACE_MS = 15_000;

/** How long a call into the worker (node info, commissioning window, fabric removal) may take. */
const CALL_TIMEOUT_MS = 30_000;
/** `settled` waits for every node to finish starting: on a busy machine that takes a while. */
const SETTLE_TIMEOUT_MS = 120_000;

/** What the last stop found (tests, operators): resources matter.js left open, and whether the thread ended. */
export interface MatterStopReport {
  leftover: string[];
  exitedByItself: boolean;
}

/** pino's "silent" (and anything else outside the config's levels) becomes the quietest level the worker knows. */
function workerLogLevel(level: string): (typeof LOG_LEVELS)[number] {
  return (LOG_LEVELS as readonly string[]).includes(level) ? (level as (typeof LOG_LEVELS)[number]) : "fatal";
}

const BOOT = new URL("./matter-worker-boot.mjs", import.meta.url);

export class MatterService {
  readonly #opts: MatterServiceOptions;
  #state: MatterState;
  #error: string | null = null;
  #startedInMs: number | null = null;
  #nodes: MatterNodeInfo[] = [];
  #worker: Worker | null = null;
  /** Settles when the current start attempt is running or has failed. */
  #starting: Promise<void> | null = null;
  #settleStart: (() => void) | null = null;
  #readyAt = 0;
  #attempt = 0;
  #restartTimer: NodeJS.Timeout | null = null;
  #stopping = false;
  #stopped: ((leftover: string[] | null) => void) | null = null;
  #lastStop: MatterStopReport | null = null;
  #nextCallId = 1;
  readonly #calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(options: MatterServiceOptions) {
    this.#opts = options;
    this.#state = options.config.enabled ? "stopped" : "disabled";
  }

  /** Begins starting Matter and returns at once (off the hub's critical path). */
  start(): void {
    if (!this.#opts.config.enabled || this.#starting) return;
    this.#stopping = false;
    this.#subscribe();
    this.#spawn();
  }

  #spawn(): void {
    const { config, robots, log } = this.#opts;
    this.#state = "starting";
    this.#starting = new Promise<void>((resolve) => {
      this.#settleStart = resolve;
    });
    const t0 = performance.now();
    const worker = new Worker(BOOT, { name: "matter" });
    this.#worker = worker;
    worker.on("message", (raw: unknown) => {
      if (worker !== this.#worker) return;
      const checked = checkFromWorker(raw);
      if (!checked.ok) {
        log.error({ problem: checked.problem }, "invalid message from the Matter worker; ignored");
        return;
      }
      const m = checked.value;
      if (m.type === "ready") {
        this.#startedInMs = Math.round(performance.now() - t0);
        this.#state = "running";
        this.#error = null;
        this.#readyAt = performance.now();
        log.info({ ms: this.#startedInMs, mode: config.mode }, "Matter running");
        this.#settleStart?.();
      } else this.#onMessage(m);
    });
    worker.on("error", (err) => {
      if (worker === this.#worker) this.#error = err.message;
      log.error({ err }, "the Matter worker crashed");
    });
    worker.on("exit", (code) => {
      if (worker === this.#worker) this.#onExit(code);
    });
    this.#post({
      type: "init",
      config,
      hubName: this.#opts.hubName,
      hubVersion: this.#opts.hubVersion,
      storageDir: join(this.#opts.dataDir, "matter"),
      logLevel: workerLogLevel(log.level),
      robots: robots.list().map((view) => ({ view, paired: robots.isPaired(view.id) })),
    });
  }

  #onMessage(m: Exclude<FromWorker, { type: "ready" }>): void {
    switch (m.type) {
      case "failed":
        this.#error = m.error;
        this.#opts.log.error(
          { error: m.error },
          this.#state === "running"
            ? "Matter failed; the rest of the hub runs without it until it restarts"
            : "Matter failed to start; the rest of the hub runs without it",
        );
        // Failed from now on (status, readiness, calls), not only once the worker has closed its nodes and ended.
        if (!this.#stopping) this.#state = "failed";
        return;
      case "nodes":
        this.#nodes = m.nodes;
        return;
      case "log":
        this.#relayLog(m.line);
        return;
      case "request":
        void this.#answer(m);
        return;
      case "result": {
        const call = this.#calls.get(m.id);
        this.#calls.delete(m.id);
        if (m.ok) call?.resolve(m.value);
        else call?.reject(hubErrorOf(m.error));
        return;
      }
      case "stopped":
        this.#stopped?.(m.leftover);
        return;
    }
  }

  /** The worker ended: expected after stop(); otherwise a crash, reported and followed by a restart. */
  #onExit(code: number): void {
    this.#worker = null;
    for (const call of this.#calls.values()) call.reject(new HubError("matter_unavailable"));
    this.#calls.clear();
    this.#nodes = [];
    this.#stopped?.(null);
    if (this.#stopping) return;
    this.#state = "failed";
    this.#error ??= `the Matter worker stopped (exit code ${code})`;
    const log = this.#opts.log;
    if (this.#readyAt > 0 && performance.now() - this.#readyAt > STABLE_MS) this.#attempt = 0;
    this.#readyAt = 0;
    const delay = RESTART_BACKOFF_MS[Math.min(this.#attempt, RESTART_BACKOFF_MS.length - 1)] as number;
    this.#attempt++;
    log.error({ code, error: this.#error, restartInMs: delay }, "Matter stopped unexpectedly; restarting it");
    this.#settleStart?.();
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      if (!this.#stopping) this.#spawn();
    }, delay);
    this.#restartTimer.unref();
  }

  /** The hub's log level changed at runtime: the worker's logger (which filters before lines cross) follows. */
  logLevelChanged(level: string): void {
    this.#post({ type: "logLevel", level: workerLogLevel(level) });
  }

  #subscribe(): void {
    const { bus, robots } = this.#opts;
    bus.on("robotUpdated", this, ({ robot }) =>
      this.#post({ type: "robot", view: robot, paired: robots.isPaired(robot.id) }),
    );
    bus.on("robotRemoved", this, ({ robotId }) => this.#post({ type: "removed", robotId }));
    bus.on("roomsChanged", this, ({ robotId }) => this.#post({ type: "rooms", robotId }));
    // A whole new map (rooms renamed, merged or split, another floor) carries the rooms; deltas are movement only.
    bus.on("mapUpdated", this, ({ robotId, delta }) => {
      if (delta === null) this.#post({ type: "rooms", robotId });
    });
    bus.on("robotEvent", this, ({ robotId, name, payload }) => {
      if (name === "event.cleaning_finished")
        this.#post({
          type: "finished",
          robotId,
          payload: payload as Extract<ToWorker, { type: "finished" }>["payload"],
        });
    });
  }

  #post(message: ToWorker): void {
    this.#worker?.postMessage(message);
  }

  /** The worker's requests: everything that needs robots, the command path or SQLite runs here. */
  async #answer(m: WorkerRequest): Promise<void> {
    const { robots, repo, config } = this.#opts;
    const robotId = m.robotId ?? "";
    // The answer goes to the worker that asked: a restarted worker numbers its requests from 1 again.
    const asker = this.#worker;
    const reply = (message: ToWorker) => {
      if (asker && asker === this.#worker) asker.postMessage(message);
    };
    try {
      let value: unknown = null;
      if (m.op === "command") value = await robots.command(robotId, m.name ?? "", m.args ?? {}, "matter");
      else if (m.op === "rooms") {
        const { floor, rooms } = await robots.query(robotId, "rooms.list");
        value = repo.syncFloor(
          robotId,
          floor,
          inRoomOrder(rooms, this.#opts.roomOrder?.(robotId, floor) ?? []),
        );
      } else if (m.op === "known") value = repo.known(robotId);
      else if (m.op === "allocate")
        value = repo.allocateNode(
          m.nodeKey ?? "",
          m.robotId ?? null,
          config.basePort,
          (this.#opts.now ?? Date.now)(),
        );
      else repo.deleteNode(m.nodeKey ?? "");
      reply({ type: "result", id: m.id, ok: true, value });
    } catch (err) {
      reply({ type: "result", id: m.id, ok: false, error: errorBodyOf(err) });
    }
  }

  /** A worker log line (pino JSON, redacted in the worker) written by the hub's logger, at its level. */
  #relayLog(line: string): void {
    const log = this.#opts.log;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const { level, msg, service: _service, ...fields } = entry;
    const label = log.levels.labels[Number(level)] as "info" | undefined;
    if (label && typeof log[label] === "function") log[label](fields, typeof msg === "string" ? msg : "");
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#opts.bus.removeAll(this);
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const worker = this.#worker;
    if (worker) {
      const stopped = new Promise<string[] | null>((resolve) => {
        this.#stopped = resolve;
        setTimeout(() => resolve(null), STOP_GRACE_MS).unref();
      });
      const exited = new Promise<boolean>((resolve) => {
        worker.once("exit", () => resolve(true));
        setTimeout(() => resolve(false), STOP_GRACE_MS + 5_000).unref();
      });
      this.#post({ type: "stop" });
      const leftover = await stopped;
      // The thread ends by itself once matter.js has closed everything; a few seconds more mean it did not.
      const exitedByItself = await Promise.race([
        exited,
        new Promise<boolean>((r) => setTimeout(() => r(false), 5_000).unref()),
      ]);
      if (!exitedByItself) await worker.terminate();
      this.#lastStop = { leftover: leftover ?? ["(no answer)"], exitedByItself };
      if (leftover === null || leftover.length > 0 || !exitedByItself)
        this.#opts.log.warn(this.#lastStop, "the Matter worker did not close everything; it was terminated");
    }
    this.#worker = null;
    this.#stopped = null;
    this.#starting = null;
    this.#settleStart?.();
    this.#nodes = [];
    if (this.#state !== "disabled") this.#state = "stopped";
  }

  /** For readiness: false while Matter has failed, until the restarted worker runs again. */
  get healthy(): boolean {
    return this.#state !== "failed" && !(this.#state === "starting" && this.#error !== null);
  }

  /** What the last `stop()` found. */
  get lastStop(): MatterStopReport | null {
    return this.#lastStop;
  }

  /** Resolves once Matter runs (tests, benchmarks); rejects if it failed or is disabled. */
  async ready(): Promise<void> {
    await this.#starting;
    if (this.#state !== "running") throw new HubError("matter_unavailable", this.#error ?? undefined);
  }

  /** Resolves when every queued node change and attribute write is done. */
  async settled(): Promise<void> {
    if (this.#state === "running") await this.#call({ method: "settled" });
  }

  /**
   * A full garbage collection in the worker thread (memory measurements; only with node --expose-gc). Returns the
   * worker's V8 heap in use afterwards, which `process.memoryUsage()` on this thread does not include.
   */
  async collectGarbage(): Promise<{ heapUsed: number } | null> {
    if (this.#state !== "running") return null;
    return (await this.#call({ method: "collectGarbage" })) as { heapUsed: number };
  }

  /** The status with the nodes as last reported by the worker (synchronous: metrics, logs). */
  status(): MatterStatus {
    return {
      enabled: this.#opts.config.enabled,
      state: this.#state,
      mode: this.#opts.config.mode,
      error: this.#error,
      startedInMs: this.#startedInMs,
      nodes: this.#state === "running" ? this.#nodes : [],
    };
  }

  /** The status with the nodes as they are right now (the API). */
  async currentStatus(): Promise<MatterStatus> {
    if (this.#state === "running") {
      try {
        this.#nodes = (await this.#call({ method: "nodes" })) as MatterNodeInfo[];
      } catch {
        // The worker died in between: status() now says so.
      }
    }
    return this.status();
  }

  async node(robotId: string): Promise<MatterNodeInfo> {
    return (await this.#call({ method: "node", robotId })) as MatterNodeInfo;
  }

  async openCommissioningWindow(robotId: string): Promise<MatterNodeInfo> {
    return (await this.#call({ method: "openWindow", robotId })) as MatterNodeInfo;
  }

  async removeFabric(robotId: string, fabricIndex: number): Promise<MatterNodeInfo> {
    return (await this.#call({ method: "removeFabric", robotId, fabricIndex })) as MatterNodeInfo;
  }

  /** Makes the worker throw an uncaught error, as a bug would (tests of the restart; no route leads here). */
  crashWorkerForTests(): void {
    this.#post({ type: "crash" });
  }

  #call(call: Omit<WorkerCall, "type" | "id">): Promise<unknown> {
    if (!this.#opts.config.enabled) return Promise.reject(new HubError("matter_disabled"));
    if (this.#state !== "running" || !this.#worker)
      return Promise.reject(
        new HubError(
          "matter_unavailable",
          this.#error ? `Matter failed to start: ${this.#error}` : undefined,
        ),
      );
    const id = this.#nextCallId++;
    return new Promise((resolve, reject) => {
      // A matter.js await that never ends must not hold an HTTP request (or a caller) forever.
      const limitMs = call.method === "settled" ? SETTLE_TIMEOUT_MS : CALL_TIMEOUT_MS;
      const timer = setTimeout(() => {
        if (!this.#calls.delete(id)) return;
        reject(
          new HubError("matter_unavailable", `The Matter worker did not answer within ${limitMs / 1000} s`),
        );
      }, limitMs);
      timer.unref();
      this.#calls.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#post({ type: "call", id, ...call });
    });
  }
}

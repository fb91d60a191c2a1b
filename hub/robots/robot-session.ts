/**
 * One session per paired robot: keeps a pinned, mutually authenticated connection open (reconnecting with
 * exponential backoff and jitter), tracks the robot's state from its events, and dispatches commands with
 * timeouts. A robot whose certificate changed is not retried until it is paired again.
 */
import {
  connectToRobot,
  type RobotAddress,
  RobotConnectError,
  type RobotLink,
} from "../../integrations/sweep/hub-client.ts";
import type { Identity } from "../../integrations/sweep/protocol/identity.ts";
import type {
  EventName,
  EventPayload,
  MethodName,
  MethodPayload,
  MethodResult,
} from "../../integrations/sweep/protocol/methods.ts";
import type { RobotState } from "../../integrations/sweep/protocol/robot-state.ts";
import { HubError } from "../core/errors.ts";
import type { EventBus } from "../core/event-bus.ts";
import type { ConnectionState, RobotView } from "../core/robot-view.ts";
import type { Logger } from "../logging.ts";
import type { CleaningRepository } from "../store/cleaning-repository.ts";
import type { PairedRobotRecord, RobotRepository } from "../store/robot-repository.ts";
import { toHubError } from "./error-mapping.ts";

export interface SessionTimings {
  commandTimeoutMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
}

export interface RobotSessionOptions {
  record: PairedRobotRecord;
  hub: { id: string; name: string; identity: Identity };
  log: Logger;
  bus: EventBus;
  robots: RobotRepository;
  cleaning: CleaningRepository;
  timings: SessionTimings;
  now?: () => number;
  random?: () => number;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so many sessions don't retry in lockstep. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 20));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export class RobotSession {
  readonly #opts: RobotSessionOptions;
  #record: PairedRobotRecord;
  #link: RobotLink | null = null;
  #connection: ConnectionState = "connecting";
  #connectionError: string | null = null;
  #state: RobotState | null;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #stopped = true;
  #connecting = false;

  constructor(options: RobotSessionOptions) {
    this.#opts = options;
    this.#record = options.record;
    this.#state = (options.record.lastState as RobotState | null) ?? null;
    if (options.record.identityStatus === "changed") {
      this.#connection = "identity_changed";
      this.#connectionError = "The robot presented a different certificate; pair it again";
    }
  }

  get id(): string {
    return this.#record.id;
  }

  get online(): boolean {
    return this.#connection === "online" && this.#link !== null;
  }

  get record(): PairedRobotRecord {
    return this.#record;
  }

  view(): RobotView {
    const r = this.#record;
    return {
      id: r.id,
      name: r.name,
      model: r.model,
      manufacturer: r.manufacturer,
      firmware: r.firmware,
      serial: r.serial,
      address: { host: r.host, port: r.port },
      connection: this.#connection,
      connectionError: this.#connectionError,
      capabilities: r.capabilities,
      state: this.#state,
      pairedAt: r.pairedAt,
      lastSeenAt: r.lastSeenAt,
    };
  }

  start(): void {
    this.#stopped = false;
    if (this.#connection === "identity_changed") return;
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const link = this.#link;
    this.#link = null;
    if (link) {
      await new Promise<void>((resolve) => {
        link.peer.onClose(() => resolve());
        link.peer.close(1001, "hub shutting down");
        setTimeout(resolve, 1_000).unref();
      });
    }
  }

  /** mDNS saw the robot at another address: remember it and try it now rather than after the backoff. */
  updateAddress(address: RobotAddress): void {
    if (address.host === this.#record.host && address.port === this.#record.port) {
      if (!this.#link && !this.#connecting && !this.#stopped && this.#connection !== "identity_changed")
        this.#retryNow();
      return;
    }
    this.#opts.log.info({ host: address.host, port: address.port }, "robot address changed");
    this.#opts.robots.updateAddress(this.id, address.host, address.port);
    this.#record = { ...this.#record, host: address.host, port: address.port };
    if (!this.#link && !this.#stopped) {
      // A new address may answer with the right certificate again (the old address was reused by another device).
      if (this.#connection === "identity_changed" && this.#record.identityStatus !== "changed")
        this.#connection = "connecting";
      this.#retryNow();
    }
  }

  async request<M extends MethodName>(method: M, payload: MethodPayload<M>): Promise<MethodResult<M>> {
    const link = this.#link;
    if (!link || this.#connection !== "online") {
      throw new HubError(
        this.#connection === "identity_changed" ? "identity_changed" : "robot_offline",
        undefined,
        {
          connection: this.#connection,
          ...(this.#connectionError ? { reason: this.#connectionError } : {}),
        },
      );
    }
    try {
      const result = await link.peer.request(method, payload, {
        timeoutMs: this.#opts.timings.commandTimeoutMs,
      });
      const maybeState = (result as { state?: RobotState }).state;
      if (maybeState) this.#setState(maybeState, false);
      return result;
    } catch (err) {
      throw toHubError(err);
    }
  }

  #retryNow(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#attempt = 0;
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#stopped || this.#connecting || this.#link) return;
    this.#connecting = true;
    const { log, timings } = this.#opts;
    if (this.#connection !== "online")
      this.#setConnection(this.#connection === "offline" ? "offline" : "connecting", this.#connectionError);
    try {
      const link = await connectToRobot({
        address: { host: this.#record.host, port: this.#record.port },
        hub: this.#opts.hub,
        pinnedFingerprint: this.#record.fingerprint,
        log,
        timeoutMs: timings.commandTimeoutMs,
        ...(timings.heartbeatIntervalMs ? { heartbeatIntervalMs: timings.heartbeatIntervalMs } : {}),
        ...(timings.heartbeatTimeoutMs ? { heartbeatTimeoutMs: timings.heartbeatTimeoutMs } : {}),
      });
      this.#connecting = false;
      if (this.#stopped) {
        link.peer.close(1001, "hub shutting down");
        return;
      }
      if (!link.hello.paired) {
        link.peer.close(1000, "not paired");
        this.#setConnection(
          "not_paired",
          "The robot no longer recognises this hub (reset or unpaired); pair it again",
        );
        this.#scheduleReconnect(true);
        return;
      }
      this.#onConnected(link);
    } catch (err) {
      this.#connecting = false;
      if (err instanceof RobotConnectError && err.reason === "identity_changed") {
        log.warn({ host: this.#record.host }, "robot certificate changed; refusing it until paired again");
        this.#opts.robots.markIdentity(this.id, "changed");
        this.#record = { ...this.#record, identityStatus: "changed" };
        this.#setConnection(
          "identity_changed",
          "The robot presented a different certificate (reset or impostor); pair it again",
        );
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log.debug({ err: message, attempt: this.#attempt }, "robot connection attempt failed");
      this.#setConnection("offline", message);
      this.#scheduleReconnect(false);
    }
  }

  #onConnected(link: RobotLink): void {
    const { log } = this.#opts;
    this.#link = link;
    this.#attempt = 0;
    const { robot, capabilities, state } = link.hello;
    this.#opts.robots.updateInfo(this.id, {
      name: robot.name,
      model: robot.model,
      manufacturer: robot.manufacturer,
      firmware: robot.firmware,
      serial: robot.serial,
      capabilities,
    });
    this.#record = { ...this.#record, ...robot, capabilities, identityStatus: "ok" };
    if (this.#record.identityStatus !== "ok") this.#opts.robots.markIdentity(this.id, "ok");
    link.peer.onEvent((name, payload) => this.#onEvent(name, payload));
    // Binary frames are map data (docs/protocol.md §8); robots send them only after the hub asked (map.get).
    link.peer.onBinary((data) => {
      this.#touchSeen();
      this.#opts.bus.emit("robotBinary", { robotId: this.id, data });
    });
    link.peer.onClose((code) => {
      if (this.#link !== link) return;
      this.#link = null;
      log.info({ code }, "robot connection closed");
      this.#setConnection("offline", "Connection to the robot was lost; reconnecting");
      this.#scheduleReconnect(false);
    });
    log.info({ firmware: robot.firmware }, "robot online");
    this.#touchSeen();
    this.#setConnection("online", null);
    if (state) this.#setState(state, true);
  }

  #scheduleReconnect(slow: boolean): void {
    if (this.#stopped || this.#timer) return;
    const { reconnectMinMs, reconnectMaxMs } = this.#opts.timings;
    const delay = slow
      ? reconnectMaxMs
      : backoffDelay(this.#attempt++, reconnectMinMs, reconnectMaxMs, this.#opts.random ?? Math.random);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
    this.#timer.unref();
  }

  #onEvent<E extends EventName>(name: E, payload: EventPayload<E>): void {
    this.#touchSeen();
    const state = this.#state;
    switch (name) {
      case "event.state":
        this.#setState(payload as RobotState, true);
        break;
      case "event.position":
        if (state) {
          const p = payload as EventPayload<"event.position">;
          this.#setState({ ...state, pose: p.pose, floor: p.floor, currentRoom: p.currentRoom }, false);
        }
        break;
      case "event.battery":
        if (state) {
          const p = payload as EventPayload<"event.battery">;
          this.#setState({ ...state, battery: p.battery, charging: p.charging }, false);
        }
        break;
      case "event.error":
        if (state) this.#setState({ ...state, error: payload as EventPayload<"event.error"> }, true);
        break;
      case "event.cleaning_started": {
        const { job } = payload as EventPayload<"event.cleaning_started">;
        this.#opts.cleaning.recordStarted({
          robotId: this.id,
          jobId: job.id,
          kind: job.kind,
          trigger: "robot",
          startedAt: job.startedAt,
        });
        break;
      }
      case "event.cleaning_finished": {
        const f = payload as EventPayload<"event.cleaning_finished">;
        this.#opts.cleaning.recordFinished({
          robotId: this.id,
          jobId: f.jobId,
          kind: f.kind,
          finishedAt: (this.#opts.now ?? Date.now)(),
          result: f.result,
          areaM2: f.areaM2,
          durationS: f.durationS,
          rooms: f.rooms,
        });
        break;
      }
      default:
        break;
    }
    this.#opts.bus.emit("robotEvent", { robotId: this.id, name, payload });
  }

  #setState(state: RobotState, persist: boolean): void {
    this.#state = state;
    if (persist) this.#opts.robots.saveLastState(this.id, state);
    this.#opts.bus.emit("robotUpdated", { robot: this.view() });
  }

  #setConnection(connection: ConnectionState, error: string | null): void {
    const changed = connection !== this.#connection || error !== this.#connectionError;
    this.#connection = connection;
    this.#connectionError = error;
    if (changed) this.#opts.bus.emit("robotUpdated", { robot: this.view() });
  }

  #touchSeen(): void {
    const now = (this.#opts.now ?? Date.now)();
    // Write at most every 30 s: position events arrive twice a second.
    if (this.#record.lastSeenAt === null || now - this.#record.lastSeenAt > 30_000) {
      this.#opts.robots.touchSeen(this.id, now);
      this.#record = { ...this.#record, lastSeenAt: now };
    }
  }
}

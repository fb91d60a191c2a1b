/**
 * The robot's outgoing events: listeners, and the rules for when a change is worth an event (the protocol
 * wants state on meaningful changes, not on every wheel turn).
 */
import type { EventName, EventPayload } from "../protocol/methods.ts";
import type { RobotState } from "../protocol/robot-state.ts";

export type RobotEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** Position events while driving are throttled to this interval of robot time. */
export const POSITION_EVENT_INTERVAL_MS = 500;
/** While a job cleans, a state event carries its progress (area) at most this often. */
export const PROGRESS_EVENT_INTERVAL_MS = 5_000;

/** Receives errors thrown by listeners; by default they are rethrown asynchronously (see `emit`). */
export type ListenerErrorHandler = (error: unknown, event: EventName) => void;

const rethrowLater: ListenerErrorHandler = (error) =>
  queueMicrotask(() => {
    throw error;
  });

export class RobotEvents {
  private readonly listeners = new Set<RobotEventListener>();
  private readonly onListenerError: ListenerErrorHandler;
  private stateKey = "";
  private stateAt = -Infinity;
  private area = 0;
  private batteryKey = "";
  private poseKey = "";
  private poseAt = -Infinity;

  constructor(onListenerError: ListenerErrorHandler = rethrowLater) {
    this.onListenerError = onListenerError;
  }

  on(listener: RobotEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch (error) {
        // A failing listener must not leave the engine half-way through a step, nor stop other listeners:
        // the error is handed on (by default rethrown after the step, the way EventTarget reports them).
        this.onListenerError(error, name);
      }
    }
  }

  /**
   * Emits what changed since the last call: `event.state` on a status, settings, job, error, floor or dock
   * change (plus progress while cleaning), `event.battery` when the whole percent or charging flag changes,
   * `event.position` when the pose changed (throttled while `moving`).
   */
  publishChanges(state: RobotState, nowMs: number, moving: boolean): void {
    const key = JSON.stringify([
      state.status,
      state.fanSpeed,
      state.waterLevel,
      state.mode,
      state.floor,
      state.docked,
      state.charging,
      state.error?.code ?? null,
      state.job?.id ?? null,
      state.job?.resumeAfterCharge ?? null,
    ]);
    const area = state.job?.areaCleanedM2 ?? 0;
    const progressed = area !== this.area && nowMs - this.stateAt >= PROGRESS_EVENT_INTERVAL_MS;
    if (key !== this.stateKey || progressed) {
      this.stateKey = key;
      this.stateAt = nowMs;
      this.area = area;
      this.emit("event.state", state);
    }
    const batteryKey = `${state.battery}:${state.charging}`;
    if (batteryKey !== this.batteryKey) {
      this.batteryKey = batteryKey;
      this.emit("event.battery", { battery: state.battery, charging: state.charging });
    }
    const { pose } = state;
    const poseKey = `${state.floor}:${pose.x}:${pose.y}:${pose.angle}`;
    if (poseKey !== this.poseKey && (!moving || nowMs - this.poseAt >= POSITION_EVENT_INTERVAL_MS)) {
      this.poseKey = poseKey;
      this.poseAt = nowMs;
      this.emit("event.position", { pose: { ...pose }, floor: state.floor, currentRoom: state.currentRoom });
    }
  }

  /** Takes the current state as already published (at construction, when nobody listens yet). */
  baseline(state: RobotState, nowMs: number): void {
    const saved = new Set(this.listeners);
    this.listeners.clear();
    this.publishChanges(state, nowMs, false);
    for (const l of saved) this.listeners.add(l);
  }
}

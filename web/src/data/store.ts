/**
 * The dashboard's state: paired robots, discovered robots, the live connection's state, and a short trail of
 * each robot's recent positions (drawn on the map while it moves). Elements subscribe through StoreController
 * and re-render on change; nothing else holds robot data, so every page shows the same truth.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { RobotView } from "../../../hub/core/robot-view.ts";
import type { Room } from "../../../integrations/sweep/protocol/robot-state.ts";
import type { DiscoveredRobotView } from "./api.ts";
import type { AuthStatus, GrantSet, Me, Notice } from "./auth-api.ts";

export type ConnectionState = "connecting" | "online" | "reconnecting";

export interface RobotEventRecord {
  robotId: string;
  name: string;
  payload: unknown;
  at: number;
}

/** Enough positions to draw the current run's path at the simulator's speeds without growing without bound. */
export const TRAIL_MAX_POINTS = 5000;

export class HubStore extends EventTarget {
  robots = new Map<string, RobotView>();
  discovery: DiscoveredRobotView[] = [];
  connection: ConnectionState = "connecting";
  everConnected = false;
  /** Positions seen since the robot's current job started (map frame, mm). */
  readonly trails = new Map<string, { jobId: string | null; points: { x: number; y: number }[] }>();
  lastEvent: RobotEventRecord | null = null;
  /** Where each robot was last seen docked: its dock, until the map API says where the dock is. */
  readonly docks = new Map<string, { x: number; y: number; angle: number; floor: string }>();
  /** Rooms per robot (names for ids in the state), loaded on demand by loadRooms in hub-context.ts. */
  readonly rooms = new Map<string, { floor: string; rooms: Room[] }>();

  setRooms(robotId: string, value: { floor: string; rooms: Room[] }): void {
    this.rooms.set(robotId, value);
    this.#changed();
  }

  roomName(robotId: string, roomId: string | null | undefined): string | null {
    if (!roomId) return null;
    return this.rooms.get(robotId)?.rooms.find((r) => r.id === roomId)?.name ?? roomId;
  }

  /** The hub's accounts status (null until asked; `accounts: false` for a hub without accounts). */
  auth: (AuthStatus & { accounts: boolean }) | null = null;
  /** The signed-in user and their grants. */
  me: Me | null = null;

  setAuth(auth: (AuthStatus & { accounts: boolean }) | null, me: Me | null): void {
    this.auth = auth;
    this.me = me;
    this.#changed();
  }

  /** What the signed-in user may do with a robot; everything on a hub without accounts. */
  grantsFor(robotId: string): GrantSet {
    if (!this.auth?.accounts) return { view: true, control: true, camera: true };
    const role = this.me?.user.role;
    if (role === "owner" || role === "admin") return { view: true, control: true, camera: true };
    return (
      this.me?.robots.find((r) => r.robotId === robotId)?.grants ?? {
        view: false,
        control: false,
        camera: false,
      }
    );
  }

  /** The signed-in user's units for areas (metric without accounts). */
  get units(): "metric" | "imperial" {
    return this.me?.user.preferences.units ?? "metric";
  }

  get isAdmin(): boolean {
    const role = this.me?.user.role;
    return role === "owner" || role === "admin";
  }

  #changed(): void {
    this.dispatchEvent(new Event("change"));
  }

  setConnection(state: ConnectionState): void {
    if (state === "online") this.everConnected = true;
    if (state === this.connection) return;
    this.connection = state;
    this.#changed();
  }

  setSnapshot(robots: RobotView[], discovery: DiscoveredRobotView[]): void {
    this.robots = new Map(robots.map((r) => [r.id, r]));
    for (const r of robots) this.#track(r);
    this.discovery = discovery;
    this.#changed();
  }

  upsertRobot(robot: RobotView): void {
    this.robots.set(robot.id, robot);
    this.#track(robot);
    this.#changed();
  }

  /**
   * A robot as an HTTP answer (a command, pairing) returned it. While the live connection is up, its updates are
   * the truth and may already be newer than this answer (the robot came online before the pairing answer
   * arrived), so the answer only fills in robots the store does not know yet.
   */
  acceptAnswer(robot: RobotView): void {
    if (this.connection === "online" && this.robots.has(robot.id)) return;
    this.upsertRobot(robot);
  }

  removeRobot(id: string): void {
    this.robots.delete(id);
    this.trails.delete(id);
    this.#changed();
  }

  setDiscovery(list: DiscoveredRobotView[]): void {
    this.discovery = list;
    this.#changed();
  }

  /**
   * A notification the hub just pushed (docs/api.md "Notifications"): the badge count follows at once, and
   * listeners of "notice" (toasts, the open list) show it.
   */
  noticeRaised(notice: Notice, unread: number): void {
    this.setUnreadNotices(unread);
    this.dispatchEvent(new CustomEvent<Notice>("notice", { detail: notice }));
  }

  setUnreadNotices(unread: number): void {
    if (!this.me || this.me.unreadNotices === unread) return;
    this.me = { ...this.me, unreadNotices: unread };
    this.#changed();
  }

  robotEvent(robotId: string, name: string, payload: unknown): void {
    this.lastEvent = { robotId, name, payload, at: Date.now() };
    this.dispatchEvent(new CustomEvent("robot-event", { detail: this.lastEvent }));
  }

  #track(robot: RobotView): void {
    const state = robot.state;
    if (!state) return;
    if (state.docked) this.docks.set(robot.id, { ...state.pose, floor: state.floor });
    const jobId = state.job?.id ?? null;
    let trail = this.trails.get(robot.id);
    if (!trail || trail.jobId !== jobId) {
      // A new job starts a new path; returning to the dock after a job keeps drawing the way home.
      if (!trail || jobId !== null) {
        trail = { jobId, points: [] };
        this.trails.set(robot.id, trail);
      } else trail.jobId = null;
    }
    const last = trail.points.at(-1);
    const { x, y } = state.pose;
    if (!last || Math.hypot(last.x - x, last.y - y) >= 20) {
      trail.points.push({ x, y });
      if (trail.points.length > TRAIL_MAX_POINTS)
        trail.points.splice(0, trail.points.length - TRAIL_MAX_POINTS);
    }
  }
}

/** Re-renders its host whenever the store changes. */
export class StoreController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly store: HubStore;
  readonly #onChange = () => this.#host.requestUpdate();

  constructor(host: ReactiveControllerHost, store: HubStore) {
    this.#host = host;
    this.store = store;
    host.addController(this);
  }

  hostConnected(): void {
    this.store.addEventListener("change", this.#onChange);
  }

  hostDisconnected(): void {
    this.store.removeEventListener("change", this.#onChange);
  }
}

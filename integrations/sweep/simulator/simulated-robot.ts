/**
 * A simulated robot vacuum: a pure model with no timers and no I/O. Time moves only when `advance(dtMs)`
 * is called; the injected clock only stamps jobs. The network server wraps it (methods for requests,
 * `onEvent` for events, `advance` on a timer). Behaviour where the protocol leaves room is described in
 * README.md next to this file.
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { Restriction, RobotMap } from "../protocol/map-model.ts";
import type { Capabilities } from "../protocol/methods.ts";
import {
  type Consumable,
  FAULT_MESSAGES,
  type Pose,
  type RobotError,
  type RobotInfo,
  type RobotState,
  type RobotStatus,
  type Room,
  type Zone,
} from "../protocol/robot-state.ts";
import { ActiveJob, type JobRequest, type JobResult, type RunningJob } from "./active-job.ts";
import {
  Battery,
  type CleaningSettings,
  LOW_BATTERY_PERCENT,
  MIN_START_BATTERY_PERCENT,
  RESUME_BATTERY_PERCENT,
} from "./battery.ts";
import { ConsumableWear } from "./consumables.ts";
import { type FloorMap, FloorMaps } from "./floor-maps.ts";
import type { FloorPlan, FloorPlanId, PlanPose, Point } from "./floor-plan.ts";
import { dockFloor, getFloorPlan, isFloorPlanId } from "./floor-plans.ts";
import { fullCleanOrder, planGoto, planRooms, planZones } from "./job-planner.ts";
import { resolveGotoTarget, resolveRooms, resolveZones } from "./job-requests.ts";
import { MapKeeper, type MapUpdateListener } from "./map-keeper.ts";
import { MappingPass } from "./mapping-pass.ts";
import { cellIndexAt, type OccupancyGrid } from "./occupancy-grid.ts";
import { PathFollower } from "./path-follower.ts";
import {
  batteryEmptyError,
  batteryLowError,
  busyError,
  checkConsumableId,
  checkFaultCode,
  faultError,
  noDockError,
  nothingToError,
} from "./robot-errors.ts";
import { type ListenerErrorHandler, type RobotEventListener, RobotEvents } from "./robot-events.ts";
import { simulatorCapabilities, simulatorInfo } from "./robot-identity.ts";
import { applySettings, DEFAULT_SETTINGS, type SettingsChange } from "./robot-settings.ts";

export type { FloorPlanId } from "./floor-plan.ts";
export { listFloorPlans } from "./floor-plans.ts";
export type { MapUpdate, MapUpdateListener } from "./map-keeper.ts";
export type { ListenerErrorHandler, RobotEventListener } from "./robot-events.ts";

export interface SimulatedRobotOptions {
  id: string;
  name: string;
  plan: FloorPlanId;
  model?: string;
  firmware?: string;
  serial?: string;
  /** Robot clock, ms since epoch: stamps jobs (startedAt, ids). Durations use simulated time. */
  now: () => number;
  /** Default: the floor with the dock. */
  startFloor?: string;
  /** Errors thrown by event listeners; default: rethrown asynchronously (an uncaught exception). */
  onListenerError?: ListenerErrorHandler;
  /**
   * Whether the robot knows its floors already (as after its first mapping run). Default false: the map starts
   * empty and fills in as the lidar sees the home.
   */
  explored?: boolean;
  /** Grid resolution of the robot's maps and planning (default 50 mm; benchmarks use 20 mm for ~1000 x 1000). */
  resolutionMm?: number;
}

/** Driving speed of common robots while cleaning (they go a little faster in transit; we keep one speed). */
export const SPEED_MM_PER_S = 300;
/** `advance` splits time into steps no longer than this, so one big call behaves like many small ones. */
export const MAX_STEP_MS = 250;

/** What the wheels are doing: following the job's plan, driving to the dock, or nothing. */
type Motion = "still" | "job" | "dock";

export class SimulatedRobot {
  private readonly options: SimulatedRobotOptions;
  private readonly plan: FloorPlan;
  private readonly maps: FloorMaps;
  private readonly events: RobotEvents;
  private readonly mapKeeper: MapKeeper;
  private readonly wear = new ConsumableWear();
  private readonly battery = new Battery();
  private floorId: string;
  private pose: PlanPose;
  private onDock: boolean;
  private settings: CleaningSettings = { ...DEFAULT_SETTINGS };
  private fault: RobotError | null = null;
  private job: RunningJob | null = null;
  private motion: Motion = "still";
  private dockRoute: PathFollower | null = null;
  /** Simulated time: the sum of all `advance` calls. */
  private simMs = 0;
  private jobCounter = 0;

  constructor(options: SimulatedRobotOptions) {
    if (!isFloorPlanId(options.plan)) throw new TypeError(`Unknown floor plan "${options.plan}"`);
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(options.id)) throw new TypeError(`Invalid robot id "${options.id}"`);
    this.options = options;
    this.events = new RobotEvents(options.onListenerError);
    this.plan = getFloorPlan(options.plan);
    this.maps = new FloorMaps(this.plan, options.resolutionMm);
    const onListenerError =
      options.onListenerError ??
      ((error: unknown) =>
        queueMicrotask(() => {
          throw error;
        }));
    this.mapKeeper = new MapKeeper(this.maps, options.explored ?? false, (e) =>
      onListenerError(e, "event.state"),
    );
    const floor = options.startFloor
      ? this.plan.floors.find((f) => f.id === options.startFloor)
      : dockFloor(this.plan);
    if (!floor) throw new TypeError(`Plan "${options.plan}" has no floor "${options.startFloor}"`);
    this.floorId = floor.id;
    this.pose = { ...(floor.dock ?? floor.arrival) };
    this.onDock = floor.dock !== null;
    this.events.baseline(this.state(), this.simMs);
    this.mapKeeper.state(this.floorId).sense(this.pose);
  }

  onEvent(listener: RobotEventListener): () => void {
    return this.events.on(listener);
  }

  /** Map deltas and "the layout of floor X changed" notices (robot-server.ts turns them into binary frames). */
  onMapUpdate(listener: MapUpdateListener): () => void {
    return this.mapKeeper.on(listener);
  }

  info(): RobotInfo {
    return simulatorInfo(this.options);
  }

  capabilities(): Capabilities {
    return simulatorCapabilities(this.floors());
  }

  state(): RobotState {
    const percent = this.battery.percent;
    return {
      status: this.status(),
      battery: percent,
      charging: this.onDock && percent < 100,
      docked: this.onDock,
      fanSpeed: this.settings.fanSpeed,
      waterLevel: this.settings.waterLevel,
      mode: this.settings.mode,
      pose: { x: Math.round(this.pose.x), y: Math.round(this.pose.y), angle: roundAngle(this.pose.angle) },
      floor: this.floorId,
      currentRoom: this.currentRoom(),
      error: this.fault ? { ...this.fault } : null,
      job: this.job ? this.job.toJob() : null,
    };
  }

  rooms(): { floor: string; rooms: Room[] } {
    const floor = this.floorId;
    const rooms = this.map().nav.grid.rooms.map((r) => ({ id: r.id, name: r.name, floor, areaM2: r.areaM2 }));
    return { floor, rooms };
  }

  floors(): string[] {
    return this.plan.floors.map((f) => f.id);
  }

  consumables(): Consumable[] {
    return this.wear.list();
  }

  /** The occupancy grid of a floor (default: the current one), for maps and tests. Do not modify it. */
  occupancyGrid(floorId = this.floorId): OccupancyGrid {
    return this.map(floorId).nav.grid;
  }

  // ---- maps --------------------------------------------------------------------------------------------

  /** The robot's map of a floor (default: the current one); pending changes are flushed as a delta first. */
  mapSnapshot(floorId = this.floorId, flushFirst = true): RobotMap {
    this.checkFloor(floorId);
    if (flushFirst) this.mapKeeper.flush(this.floorId, this.mapPose());
    return this.mapKeeper.snapshot(floorId, floorId === this.floorId ? this.mapPose() : null);
  }

  mapVersion(floorId = this.floorId): number {
    this.checkFloor(floorId);
    return this.mapKeeper.state(floorId).version;
  }

  renameRoom(roomId: string, name: string, floorId = this.floorId): void {
    this.checkFloor(floorId);
    this.mapKeeper.rename(floorId, roomId, name);
  }

  mergeRooms(a: string, b: string, floorId = this.floorId): string {
    this.checkFloor(floorId);
    return this.mapKeeper.merge(floorId, a, b, this.job !== null);
  }

  splitRoom(
    roomId: string,
    line: { x1: number; y1: number; x2: number; y2: number },
    floorId = this.floorId,
  ) {
    this.checkFloor(floorId);
    return this.mapKeeper.split(floorId, roomId, line, this.job !== null);
  }

  restrictions(floorId = this.floorId): Restriction[] {
    this.checkFloor(floorId);
    return this.mapKeeper.state(floorId).restrictions.map((r) => ({ ...r }));
  }

  setRestrictions(restrictions: Restriction[], floorId = this.floorId): void {
    this.checkFloor(floorId);
    this.mapKeeper.setRestrictions(floorId, restrictions, this.job !== null && floorId === this.floorId);
  }

  /** Test and operations hook: the robot's map was reset and rebuilt (new room ids and names). */
  remapFloor(floorId = this.floorId): void {
    this.checkFloor(floorId);
    this.mapKeeper.remap(floorId, this.job !== null && floorId === this.floorId);
  }

  private checkFloor(floorId: string): void {
    if (!this.plan.floors.some((f) => f.id === floorId)) {
      throw new ProtocolError(
        "invalid_payload",
        `Unknown floor "${floorId}"; floors: ${this.floors().join(", ")}.`,
        {
          floor: floorId,
        },
      );
    }
  }

  private mapPose(): Pose {
    return { x: Math.round(this.pose.x), y: Math.round(this.pose.y), angle: roundAngle(this.pose.angle) };
  }

  advance(dtMs: number): void {
    if (!Number.isFinite(dtMs) || dtMs <= 0) return;
    for (let left = dtMs; left > 0; left -= MAX_STEP_MS) this.step(Math.min(MAX_STEP_MS, left));
  }

  // ---- commands ----------------------------------------------------------------------------------------

  start(): void {
    this.checkCanStartJob();
    const { nav } = this.map();
    this.startJob({ kind: "full", plan: planRooms(nav, fullCleanOrder(nav, this.pose), this.pose) });
  }

  cleanRooms(rooms: { id: string; repeats?: number }[]): void {
    const map = this.map();
    const order = resolveRooms(map, rooms, this.pose);
    this.checkCanStartJob();
    const ids = order.map((i) => map.nav.grid.rooms[i].id);
    this.startJob({ kind: "rooms", plan: planRooms(map.nav, order, this.pose), rooms: ids });
  }

  cleanZones(zones: Zone[], repeats?: number): void {
    const map = this.map();
    const resolved = resolveZones(map, zones, repeats, this.pose);
    this.checkCanStartJob();
    const plan = planZones(map.nav, resolved.zones, resolved.repeats, this.pose);
    this.startJob({ kind: "zones", plan, zones: resolved.zones.map((z) => ({ ...z })) });
  }

  goTo(x: number, y: number): void {
    const map = this.map();
    const target = resolveGotoTarget(map, x, y, this.pose);
    this.checkCanStartJob();
    const plan = planGoto(map.nav, this.pose, target);
    if (!plan) throw new ProtocolError("invalid_payload", `Target (${x}, ${y}) cannot be reached.`, { x, y });
    this.startJob({ kind: "goto", plan, target: { x, y } });
  }

  /** Mapping pass (mapping-pass.ts): explore the current floor with the vacuum off, then go home. */
  explore(floorId?: string): void {
    if (floorId !== undefined && floorId !== this.floorId) {
      this.checkFloor(floorId);
      throw new ProtocolError(
        "invalid_payload",
        `The robot is on floor "${this.floorId}", not "${floorId}"; carry it there (or tell it which floor it is on) first.`,
        { floor: floorId, current: this.floorId },
      );
    }
    this.checkCanStartJob();
    const floor = this.floorId;
    const state = this.mapKeeper.state(floor);
    // The mop stays up: no-mop areas do not apply (map() keeps it so while the pass runs).
    this.mapKeeper.prepareNav(floor, false);
    this.beginJob(
      (id, startedAt) =>
        new MappingPass({
          id,
          startedAt,
          startedSimMs: this.simMs,
          nav: this.maps.get(floor).nav,
          look: (at, seen) => state.sense(at, true, seen),
        }),
    );
  }

  pause(): void {
    if (this.motion !== "job" || !this.job) throw nothingToError("pause", this.status());
    this.job.paused = true;
    this.motion = "still";
    this.publish();
  }

  resume(): void {
    if (this.fault) throw faultError(this.fault);
    const job = this.job;
    if (!job?.paused) throw nothingToError("resume", this.status());
    this.checkNotEmpty();
    job.paused = false;
    if (job.resumeAfterCharge) {
      // It was on its way to charge when paused or faulted: carry on to the dock.
      if (!this.onDock) this.driveToDock(this.routeToDock());
    } else {
      this.motion = "job";
      this.onDock = false;
    }
    this.publish();
  }

  stop(): void {
    if (!this.job && this.motion === "still") throw nothingToError("stop", this.status());
    if (this.job) this.finishJob("stopped");
    this.halt();
    this.publish();
  }

  returnToDock(): void {
    if (this.fault) throw faultError(this.fault);
    if (!this.map().def.dock) throw noDockError(this.floorId, dockFloor(this.plan).id);
    this.checkNotEmpty();
    const route = this.onDock ? null : this.routeToDock();
    if (!this.onDock && !route) {
      throw new ProtocolError("invalid_state", "The dock cannot be reached from where the robot is.");
    }
    if (this.job) this.finishJob("stopped");
    if (route && this.motion !== "dock") this.driveToDock(route);
    this.publish();
  }

  locate(): void {
    this.events.emit("event.located", {});
  }

  setSettings(change: SettingsChange): void {
    this.settings = applySettings(this.settings, change ?? {});
    this.publish();
  }

  resetConsumable(id: string): void {
    this.wear.reset(checkConsumableId(id));
    this.events.emit("event.consumables", { consumables: this.wear.list() });
  }

  // ---- test and operations hooks -----------------------------------------------------------------------

  /** The robot stops where it is with the fault; a running job is kept, paused. */
  injectFault(code: string): void {
    const fault = checkFaultCode(code);
    if (this.motion !== "still") {
      if (this.job) this.job.paused = true;
      this.halt();
    }
    this.fault = { code: fault, message: FAULT_MESSAGES[fault] };
    this.events.emit("event.error", { ...this.fault });
    this.publish();
  }

  clearFault(): void {
    if (!this.fault) throw new ProtocolError("invalid_state", "There is no fault to clear.");
    this.fault = null;
    this.publish();
  }

  /** Someone carried the robot to another floor: it lands on that floor's dock, or at the stairs. */
  setFloor(floorId: string): void {
    const floor = this.plan.floors.find((f) => f.id === floorId);
    if (!floor) {
      const known = this.floors().join(", ");
      throw new ProtocolError("invalid_payload", `Unknown floor "${floorId}"; floors: ${known}.`, {
        floor: floorId,
      });
    }
    if (this.motion !== "still") {
      const status = this.status();
      throw new ProtocolError(
        "invalid_state",
        `The robot is ${status}; pause or stop it before carrying it.`,
        {
          status,
        },
      );
    }
    if (this.job) this.finishJob("stopped");
    this.mapKeeper.flush(this.floorId, null);
    this.floorId = floor.id;
    this.pose = { ...(floor.dock ?? floor.arrival) };
    this.onDock = floor.dock !== null;
    this.publish();
    this.mapKeeper.arrived(this.floorId, this.mapPose());
  }

  setBattery(percent: number): void {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new ProtocolError("invalid_payload", "Battery must be 0..100 %.", { percent });
    }
    this.battery.set(percent);
    this.publish();
  }

  /** Sets a consumable's wear (tests and demos of a worn part). */
  setConsumableUsed(id: string, usedMin: number): void {
    this.wear.setUsed(checkConsumableId(id), usedMin);
    this.events.emit("event.consumables", { consumables: this.wear.list() });
  }

  // ---- state -------------------------------------------------------------------------------------------

  private map(floorId = this.floorId): FloorMap {
    if (floorId === this.floorId) {
      this.mapKeeper.prepareNav(floorId, this.settings.mode !== "vacuum" && this.job?.kind !== "mapping");
    }
    return this.maps.get(floorId);
  }

  private status(): RobotStatus {
    if (this.fault) return "error";
    if (this.motion === "job") return this.job?.cleans ? "cleaning" : "moving";
    if (this.motion === "dock") return "returning";
    if (this.job?.paused) return "paused";
    if (this.onDock) return this.battery.percent >= 100 ? "docked" : "charging";
    return "idle";
  }

  private currentRoom(): string | null {
    const grid = this.map().nav.grid;
    const i = cellIndexAt(grid, this.pose.x, this.pose.y);
    const room = i >= 0 ? grid.roomIndex[i] : -1;
    return room >= 0 ? grid.rooms[room].id : null;
  }

  private checkNotEmpty(): void {
    if (this.battery.percent <= 0 && !this.onDock) throw batteryEmptyError();
  }

  /** A new job may replace a paused one, or a trip to the dock, but not a job that is under way. */
  private checkCanStartJob(): void {
    if (this.fault) throw faultError(this.fault);
    if (this.job && !this.job.paused) throw busyError(this.job.kind, this.status(), this.job.id);
    this.checkNotEmpty();
    const percent = this.battery.percent;
    if (!this.onDock && percent < MIN_START_BATTERY_PERCENT) throw batteryLowError(percent);
  }

  private publish(): void {
    this.events.publishChanges(this.state(), this.simMs, this.motion !== "still");
  }

  // ---- jobs and driving --------------------------------------------------------------------------------

  private startJob(request: JobRequest): void {
    const grid = this.map().nav.grid;
    this.beginJob((id, startedAt) => new ActiveJob(id, request, grid, startedAt, this.simMs));
  }

  private beginJob(create: (id: string, startedAt: number) => RunningJob): void {
    if (this.job) this.finishJob("stopped");
    this.halt();
    const startedAt = this.options.now();
    const job = create(`${startedAt}-${++this.jobCounter}`, startedAt);
    this.job = job;
    this.mapKeeper.startSession(this.floorId, this.pose);
    // On the dock with a weak battery the job is accepted but charges first (see battery.ts thresholds).
    if (this.onDock && this.battery.percent < MIN_START_BATTERY_PERCENT) job.resumeAfterCharge = true;
    else {
      this.motion = "job";
      this.onDock = false;
    }
    this.events.emit("event.cleaning_started", { job: job.toJob() });
    this.publish();
  }

  private finishJob(result: JobResult): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    if (this.motion === "job") this.motion = "still";
    // The hub stores the session's final map when it hears the job ended: the last path points go first.
    this.mapKeeper.endSession(this.floorId, this.mapPose());
    this.events.emit("event.cleaning_finished", job.finished(result, this.simMs));
  }

  private halt(): void {
    this.motion = "still";
    this.dockRoute = null;
  }

  private routeToDock(): Point[] | null {
    const dock = this.map().def.dock;
    return dock ? this.map().nav.findPath(this.pose, dock) : null;
  }

  private driveToDock(route: Point[] | null): void {
    if (!route) {
      this.halt();
      return;
    }
    this.dockRoute = new PathFollower(route);
    this.motion = "dock";
    this.onDock = false;
  }

  private step(dt: number): void {
    this.simMs += dt;
    const minutes = dt / 60_000;
    const cleaning = this.motion === "job" && this.job?.cleans === true;
    const activity = cleaning ? "cleaning" : this.motion !== "still" ? "driving" : "idle";
    const distance = (SPEED_MM_PER_S * dt) / 1000;
    if (this.motion === "job") this.driveJob(distance);
    else if (this.motion === "dock") this.driveDock(distance);

    if (this.onDock) this.battery.charge(minutes);
    else this.battery.drain(minutes, activity, this.settings);
    if (cleaning && this.wear.wear(minutes, this.settings)) {
      this.events.emit("event.consumables", { consumables: this.wear.list() });
    }
    this.checkBattery();
    this.publish();
    const moving = this.motion !== "still";
    this.mapKeeper.step(this.floorId, this.mapPose(), moving, moving && this.job !== null, this.simMs);
  }

  private driveJob(distance: number): void {
    const job = this.job!;
    job.drive(this.pose, distance);
    if (!job.done) return;
    if (job.kind === "mapping") this.mapKeeper.explored(this.floorId);
    this.finishJob("completed");
    // Cleaning jobs go home afterwards; a goto waits at its target. Without a dock the robot waits too.
    if (job.kind !== "goto") this.driveToDock(this.routeToDock());
  }

  private driveDock(distance: number): void {
    const route = this.dockRoute;
    const dock = this.map().def.dock;
    if (!route || !dock) {
      this.halt();
      return;
    }
    route.advance(this.pose, distance, () => {});
    if (route.done) {
      this.pose = { ...dock };
      this.onDock = true;
      this.halt();
    }
  }

  private checkBattery(): void {
    const job = this.job;
    const percent = this.battery.percent;
    if (this.onDock) {
      if (job?.resumeAfterCharge && !job.paused && !this.fault && percent >= RESUME_BATTERY_PERCENT) {
        this.resumeAfterCharging(job);
      }
      return;
    }
    if (percent <= 0) {
      // Flat battery: the robot switches its motors off where it is; the job cannot finish.
      if (this.motion !== "still") {
        this.halt();
        if (job) this.finishJob("error");
      }
      return;
    }
    if (percent <= LOW_BATTERY_PERCENT && this.motion === "job" && job) this.onLowBattery(job);
  }

  private onLowBattery(job: RunningJob): void {
    const route = this.routeToDock();
    if (job.kind === "goto" || !route) {
      // A goto is not worth resuming; without a reachable dock (another floor) the job ends here.
      this.finishJob(route ? "stopped" : "error");
      this.driveToDock(route);
      return;
    }
    job.breakOffToCharge(this.pose);
    this.driveToDock(route);
  }

  private resumeAfterCharging(job: RunningJob): void {
    if (!job.prepareResume(this.map().nav, this.pose)) {
      this.finishJob("error");
      return;
    }
    this.motion = "job";
    this.onDock = false;
  }
}

function roundAngle(angle: number): number {
  const a = Math.round(angle * 10) / 10;
  return a >= 360 ? 0 : a;
}

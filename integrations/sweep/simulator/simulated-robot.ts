/**
 * A simulated robot vacuum: a pure model with no timers and no I/O. Time moves only when `advance(dtMs)`
 * is called; the injected clock only stamps jobs. The network server wraps it (methods for requests,
 * `onEvent` for events, `advance` on a timer). Behaviour where the protocol leaves room is described in
 * README.md next to this file.
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { Capabilities } from "../protocol/methods.ts";
import {
  CLEAN_MODES,
  CONSUMABLE_IDS,
  type Consumable,
  type ConsumableId,
  FAN_SPEEDS,
  FAULT_MESSAGES,
  type Job,
  type JobKind,
  ROBOT_FAULTS,
  type RobotError,
  type RobotFaultCode,
  type RobotInfo,
  type RobotState,
  type RobotStatus,
  type Room,
  WATER_LEVELS,
  type Zone,
} from "../protocol/robot-state.ts";
import {
  CHARGE_PERCENT_PER_MIN,
  type CleaningSettings,
  cleaningDrainPerMin,
  DRIVE_DRAIN_PERCENT_PER_MIN,
  IDLE_DRAIN_PERCENT_PER_MIN,
  LOW_BATTERY_PERCENT,
  MIN_START_BATTERY_PERCENT,
  RESUME_BATTERY_PERCENT,
} from "./battery.ts";
import { ConsumableWear } from "./consumables.ts";
import { CoverageTracker } from "./coverage-tracker.ts";
import type { FloorPlan, FloorPlanId, PlanPose, Point } from "./floor-plan.ts";
import { dockFloor, getFloorPlan, isFloorPlanId } from "./floor-plans.ts";
import { fullCleanOrder, type JobPlan, planGoto, planRooms, planZones } from "./job-planner.ts";
import {
  type FloorMap,
  MAX_ROOM_REPEATS,
  MAX_ZONE_REPEATS,
  MAX_ZONES,
  resolveGotoTarget,
  resolveRooms,
  resolveZones,
} from "./job-requests.ts";
import { NavigationMap } from "./navigation.ts";
import { cellIndexAt, type OccupancyGrid, rasteriseFloor } from "./occupancy-grid.ts";
import { PathFollower } from "./path-follower.ts";
import { type ListenerErrorHandler, type RobotEventListener, RobotEvents } from "./robot-events.ts";
import { applySettings, DEFAULT_SETTINGS, type SettingsChange } from "./robot-settings.ts";

export type { FloorPlanId } from "./floor-plan.ts";
export { listFloorPlans } from "./floor-plans.ts";
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
}

/** Driving speed of common robots while cleaning (they go a little faster in transit; we keep one speed). */
export const SPEED_MM_PER_S = 300;
/** `advance` splits time into steps no longer than this, so one big call behaves like many small ones. */
export const MAX_STEP_MS = 250;

interface ActiveJob {
  id: string;
  kind: JobKind;
  rooms: string[];
  zones: Zone[];
  target: { x: number; y: number } | null;
  startedAt: number;
  startedSimMs: number;
  plan: JobPlan;
  passIndex: number;
  follower: PathFollower | null;
  /** Path back to where the job broke off to charge; driven before the plan continues. */
  approach: PathFollower | null;
  resumePoint: Point | null;
  resumeAfterCharge: boolean;
  paused: boolean;
  tracker: CoverageTracker;
}

type Motion = "still" | "job" | "dock";

export class SimulatedRobot {
  private readonly options: SimulatedRobotOptions;
  private readonly plan: FloorPlan;
  private readonly maps = new Map<string, FloorMap>();
  private readonly events: RobotEvents;
  private readonly wear = new ConsumableWear();
  private floorId: string;
  private pose: PlanPose;
  private onDock: boolean;
  private battery = 100;
  private settings: CleaningSettings = { ...DEFAULT_SETTINGS };
  private fault: RobotError | null = null;
  private job: ActiveJob | null = null;
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
    const floor = options.startFloor
      ? this.plan.floors.find((f) => f.id === options.startFloor)
      : dockFloor(this.plan);
    if (!floor) throw new TypeError(`Plan "${options.plan}" has no floor "${options.startFloor}"`);
    this.floorId = floor.id;
    this.pose = { ...(floor.dock ?? floor.arrival) };
    this.onDock = floor.dock !== null;
    this.events.baseline(this.state(), this.simMs);
  }

  onEvent(listener: RobotEventListener): () => void {
    return this.events.on(listener);
  }

  info(): RobotInfo {
    const { id, name, model, firmware, serial } = this.options;
    return {
      id,
      name,
      model: model ?? "SweepSim S1",
      manufacturer: "sweephub simulator",
      firmware: firmware ?? "1.0.0",
      serial: serial ?? `SIM-${id}`.slice(0, 64),
    };
  }

  capabilities(): Capabilities {
    return {
      basic_control: {},
      locate: {},
      fan_speed: { presets: [...FAN_SPEEDS] },
      water_level: { presets: [...WATER_LEVELS] },
      clean_mode: { modes: [...CLEAN_MODES] },
      room_cleaning: { maxRepeats: MAX_ROOM_REPEATS },
      zone_cleaning: { maxZones: MAX_ZONES, maxRepeats: MAX_ZONE_REPEATS },
      go_to: {},
      consumables: { ids: [...CONSUMABLE_IDS] },
    };
  }

  state(): RobotState {
    const job = this.job;
    return {
      status: this.status(),
      battery: this.percent,
      charging: this.onDock && this.percent < 100,
      docked: this.onDock,
      fanSpeed: this.settings.fanSpeed,
      waterLevel: this.settings.waterLevel,
      mode: this.settings.mode,
      pose: { x: Math.round(this.pose.x), y: Math.round(this.pose.y), angle: roundAngle(this.pose.angle) },
      floor: this.floorId,
      currentRoom: this.currentRoom(),
      error: this.fault ? { ...this.fault } : null,
      job: job ? publicJob(job) : null,
    };
  }

  rooms(): { floor: string; rooms: Room[] } {
    const floor = this.floorId;
    return {
      floor,
      rooms: this.map().nav.grid.rooms.map((r) => ({ id: r.id, name: r.name, floor, areaM2: r.areaM2 })),
    };
  }

  floors(): string[] {
    return this.plan.floors.map((f) => f.id);
  }

  consumables(): Consumable[] {
    return this.wear.list();
  }

  /** The occupancy grid of a floor (default: the current one), for maps and tests. */
  occupancyGrid(floorId = this.floorId): OccupancyGrid {
    return this.map(floorId).nav.grid;
  }

  advance(dtMs: number): void {
    if (!Number.isFinite(dtMs) || dtMs <= 0) return;
    let left = dtMs;
    while (left > 0) {
      const step = Math.min(MAX_STEP_MS, left);
      this.step(step);
      left -= step;
    }
  }

  // ---- commands ----------------------------------------------------------------------------------------

  start(): void {
    this.checkCanStartJob();
    const map = this.map();
    const order = fullCleanOrder(map.nav, this.pose);
    this.startJob("full", planRooms(map.nav, order, this.pose), {});
  }

  cleanRooms(rooms: { id: string; repeats?: number }[]): void {
    const map = this.map();
    const order = resolveRooms(map, rooms, this.pose);
    this.checkCanStartJob();
    const ids = order.map((i) => map.nav.grid.rooms[i].id);
    this.startJob("rooms", planRooms(map.nav, order, this.pose), { rooms: ids });
  }

  cleanZones(zones: Zone[], repeats?: number): void {
    const map = this.map();
    const resolved = resolveZones(map, zones, repeats, this.pose);
    this.checkCanStartJob();
    const plan = planZones(map.nav, resolved.zones, resolved.repeats, this.pose);
    this.startJob("zones", plan, { zones: resolved.zones.map((z) => ({ ...z })) });
  }

  goTo(x: number, y: number): void {
    const map = this.map();
    const target = resolveGotoTarget(map, x, y, this.pose);
    this.checkCanStartJob();
    const plan = planGoto(map.nav, this.pose, target);
    if (!plan) throw new ProtocolError("invalid_payload", `Target (${x}, ${y}) cannot be reached.`, { x, y });
    this.startJob("goto", plan, { target: { x, y } });
  }

  pause(): void {
    const job = this.job;
    if (this.motion !== "job" || !job) {
      throw new ProtocolError("invalid_state", `Nothing to pause: the robot is ${this.status()}.`, {
        status: this.status(),
      });
    }
    job.paused = true;
    this.motion = "still";
    this.publish();
  }

  resume(): void {
    this.checkNoFault();
    const job = this.job;
    if (!job?.paused) {
      throw new ProtocolError("invalid_state", `Nothing to resume: the robot is ${this.status()}.`, {
        status: this.status(),
      });
    }
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
    if (!this.job && this.motion === "still") {
      throw new ProtocolError("invalid_state", `Nothing to stop: the robot is ${this.status()}.`, {
        status: this.status(),
      });
    }
    if (this.job) this.finishJob("stopped");
    this.halt();
    this.publish();
  }

  returnToDock(): void {
    this.checkNoFault();
    const dock = this.map().def.dock;
    if (!dock) {
      const home = dockFloor(this.plan);
      throw new ProtocolError(
        "invalid_state",
        `There is no dock on floor "${this.floorId}"; carry the robot to floor "${home.id}".`,
        { floor: this.floorId, dockFloor: home.id },
      );
    }
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
    if (!isFaultCode(code)) {
      throw new ProtocolError(
        "invalid_payload",
        `Unknown fault "${code}"; faults: ${ROBOT_FAULTS.join(", ")}.`,
        {
          code,
        },
      );
    }
    if (this.motion !== "still") {
      if (this.job) this.job.paused = true;
      this.halt();
    }
    this.fault = { code, message: FAULT_MESSAGES[code] };
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
      throw new ProtocolError(
        "invalid_payload",
        `Unknown floor "${floorId}"; floors: ${this.floors().join(", ")}.`,
        {
          floor: floorId,
        },
      );
    }
    if (this.motion !== "still") {
      throw new ProtocolError(
        "invalid_state",
        `The robot is ${this.status()}; pause or stop it before carrying it.`,
        {
          status: this.status(),
        },
      );
    }
    if (this.job) this.finishJob("stopped");
    this.floorId = floor.id;
    this.pose = { ...(floor.dock ?? floor.arrival) };
    this.onDock = floor.dock !== null;
    this.publish();
  }

  setBattery(percent: number): void {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      throw new ProtocolError("invalid_payload", "Battery must be 0..100 %.", { percent });
    }
    this.battery = percent;
    this.publish();
  }

  /** Sets a consumable's wear (tests and demos of a worn part). */
  setConsumableUsed(id: string, usedMin: number): void {
    this.wear.setUsed(checkConsumableId(id), usedMin);
    this.events.emit("event.consumables", { consumables: this.wear.list() });
  }

  // ---- internals -------------------------------------------------------------------------------------

  private map(floorId = this.floorId): FloorMap {
    let map = this.maps.get(floorId);
    if (!map) {
      const def = this.plan.floors.find((f) => f.id === floorId);
      if (!def) throw new Error(`No floor "${floorId}"`);
      map = { def, nav: new NavigationMap(rasteriseFloor(def)) };
      this.maps.set(floorId, map);
    }
    return map;
  }

  /**
   * The whole percent the robot reports. Every threshold (low battery, resume, full) compares this value,
   * so what a client sees always matches what the robot decided (it resumes showing 80, not 79.99).
   */
  private get percent(): number {
    return Math.round(this.battery);
  }

  private status(): RobotStatus {
    if (this.fault) return "error";
    if (this.motion === "job") return this.job?.kind === "goto" ? "moving" : "cleaning";
    if (this.motion === "dock") return "returning";
    if (this.job?.paused) return "paused";
    if (this.onDock) return this.percent >= 100 ? "docked" : "charging";
    return "idle";
  }

  private currentRoom(): string | null {
    const grid = this.map().nav.grid;
    const i = cellIndexAt(grid, this.pose.x, this.pose.y);
    const room = i >= 0 ? grid.roomIndex[i] : -1;
    return room >= 0 ? grid.rooms[room].id : null;
  }

  private checkNoFault(): void {
    if (this.fault) {
      throw new ProtocolError("robot_fault", `The robot has a fault: ${this.fault.message}`, {
        fault: this.fault.code,
        message: this.fault.message,
      });
    }
  }

  private checkNotEmpty(): void {
    if (this.percent <= 0 && !this.onDock) {
      throw new ProtocolError("invalid_state", "The battery is empty; put the robot on its dock.", {
        battery: 0,
      });
    }
  }

  /** A new job may replace a paused one, or a trip to the dock, but not a job that is under way. */
  private checkCanStartJob(): void {
    this.checkNoFault();
    if (this.job && !this.job.paused) {
      throw new ProtocolError(
        "invalid_state",
        `The robot is busy with a ${this.job.kind} job (${this.status()}); stop it first.`,
        { status: this.status(), jobId: this.job.id },
      );
    }
    this.checkNotEmpty();
    if (!this.onDock && this.percent < MIN_START_BATTERY_PERCENT) {
      throw new ProtocolError(
        "invalid_state",
        `The battery is too low to start (${this.percent} %); put the robot on its dock to charge.`,
        { battery: this.percent },
      );
    }
  }

  private startJob(
    kind: JobKind,
    plan: JobPlan,
    fields: Partial<Pick<ActiveJob, "rooms" | "zones" | "target">>,
  ) {
    if (this.job) this.finishJob("stopped");
    this.halt();
    const startedAt = this.options.now();
    const job: ActiveJob = {
      id: `${startedAt}-${++this.jobCounter}`,
      kind,
      rooms: fields.rooms ?? [],
      zones: fields.zones ?? [],
      target: fields.target ?? null,
      startedAt,
      startedSimMs: this.simMs,
      plan,
      passIndex: 0,
      follower: null,
      approach: null,
      resumePoint: null,
      resumeAfterCharge: false,
      paused: false,
      tracker: new CoverageTracker(this.map().nav.grid),
    };
    this.job = job;
    // On the dock with a weak battery the job is accepted but charges first (see battery.ts thresholds).
    if (this.onDock && this.percent < MIN_START_BATTERY_PERCENT) job.resumeAfterCharge = true;
    else {
      this.motion = "job";
      this.onDock = false;
    }
    this.events.emit("event.cleaning_started", { job: publicJob(job) });
    this.publish();
  }

  private finishJob(result: "completed" | "stopped" | "error"): void {
    const job = this.job;
    if (!job) return;
    this.job = null;
    if (this.motion === "job") this.motion = "still";
    this.events.emit("event.cleaning_finished", {
      jobId: job.id,
      kind: job.kind,
      result,
      areaM2: job.tracker.areaM2,
      durationS: Math.round((this.simMs - job.startedSimMs) / 100) / 10,
      rooms: job.tracker.cleanedByRoom(),
    });
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

  private publish(): void {
    this.events.publishChanges(this.state(), this.simMs, this.motion !== "still");
  }

  private step(dt: number): void {
    this.simMs += dt;
    const minutes = dt / 60_000;
    const cleaning = this.motion === "job" && this.job?.kind !== "goto";
    const moving = this.motion !== "still";
    const distance = (SPEED_MM_PER_S * dt) / 1000;
    if (this.motion === "job") this.driveJob(distance);
    else if (this.motion === "dock") this.driveDock(distance);

    if (this.onDock) {
      this.battery = Math.min(100, this.battery + CHARGE_PERCENT_PER_MIN * minutes);
    } else {
      const rate = cleaning
        ? cleaningDrainPerMin(this.settings)
        : moving
          ? DRIVE_DRAIN_PERCENT_PER_MIN
          : IDLE_DRAIN_PERCENT_PER_MIN;
      this.battery = Math.max(0, this.battery - rate * minutes);
    }
    if (cleaning && this.wear.wear(minutes, this.settings)) {
      this.events.emit("event.consumables", { consumables: this.wear.list() });
    }
    this.checkBattery();
    this.publish();
  }

  private driveJob(distance: number): void {
    const job = this.job!;
    let budget = distance;
    while (budget > 0 && this.motion === "job") {
      const pass = job.plan.passes[job.passIndex];
      if (!pass) break;
      const sweep = (a: Point, b: Point) => {
        if (pass.region) job.tracker.sweep(a, b, job.passIndex, pass.region);
      };
      if (job.approach) {
        budget = job.approach.advance(this.pose, budget, sweep);
        if (job.approach.done) job.approach = null;
        continue;
      }
      job.follower ??= new PathFollower(pass.points);
      budget = job.follower.advance(this.pose, budget, sweep);
      if (job.follower.done) {
        job.passIndex++;
        job.follower = null;
      }
    }
    if (this.motion === "job" && job.passIndex >= job.plan.passes.length) this.completeJob();
  }

  private completeJob(): void {
    const kind = this.job?.kind;
    this.finishJob("completed");
    // Cleaning jobs go home afterwards; a goto waits at its target. Without a dock the robot waits too.
    if (kind !== "goto") this.driveToDock(this.routeToDock());
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
    if (this.onDock) {
      if (job?.resumeAfterCharge && !job.paused && !this.fault && this.percent >= RESUME_BATTERY_PERCENT) {
        this.resumeAfterCharging(job);
      }
      return;
    }
    if (this.percent <= 0) {
      // Flat battery: the robot switches its motors off where it is; the job cannot finish.
      if (this.motion !== "still") {
        this.halt();
        if (job) this.finishJob("error");
      }
      return;
    }
    if (this.percent <= LOW_BATTERY_PERCENT && this.motion === "job" && job) this.onLowBattery(job);
  }

  private onLowBattery(job: ActiveJob): void {
    const route = this.routeToDock();
    if (job.kind === "goto" || !route) {
      // A goto is not worth resuming; without a reachable dock (another floor) the job ends here.
      this.finishJob(route ? "stopped" : "error");
      this.driveToDock(route);
      return;
    }
    job.resumeAfterCharge = true;
    job.resumePoint = { x: this.pose.x, y: this.pose.y };
    this.driveToDock(route);
  }

  private resumeAfterCharging(job: ActiveJob): void {
    job.resumeAfterCharge = false;
    if (job.resumePoint) {
      const path = this.map().nav.findPath(this.pose, job.resumePoint);
      if (!path) {
        this.finishJob("error");
        return;
      }
      job.approach = new PathFollower(path);
      job.resumePoint = null;
    }
    this.motion = "job";
    this.onDock = false;
  }
}

function publicJob(job: ActiveJob): Job {
  return {
    id: job.id,
    kind: job.kind,
    rooms: [...job.rooms],
    zones: job.zones.map((z) => ({ ...z })),
    target: job.target ? { ...job.target } : null,
    startedAt: job.startedAt,
    areaCleanedM2: job.tracker.areaM2,
    cleanedByRoom: job.tracker.cleanedByRoom(),
    resumeAfterCharge: job.resumeAfterCharge,
  };
}

function checkConsumableId(id: string): ConsumableId {
  if (!(CONSUMABLE_IDS as readonly string[]).includes(id)) {
    throw new ProtocolError(
      "invalid_payload",
      `Unknown consumable "${id}"; consumables: ${CONSUMABLE_IDS.join(", ")}.`,
      {
        id,
      },
    );
  }
  return id as ConsumableId;
}

const isFaultCode = (code: string): code is RobotFaultCode =>
  (ROBOT_FAULTS as readonly string[]).includes(code);

function roundAngle(angle: number): number {
  const a = Math.round(angle * 10) / 10;
  return a >= 360 ? 0 : a;
}

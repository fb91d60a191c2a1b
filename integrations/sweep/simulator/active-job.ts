/**
 * A job under way: its precomputed plan, how far along it the robot is, and what it has cleaned. Breaking
 * off to charge keeps the place in the plan and the spot where the robot left, so the job continues
 * there instead of starting again.
 */
import type { CleaningFinished } from "../protocol/methods.ts";
import type { Job, JobKind, Zone } from "../protocol/robot-state.ts";
import { CoverageTracker } from "./coverage-tracker.ts";
import type { PlanPose, Point } from "./floor-plan.ts";
import type { JobPlan } from "./job-planner.ts";
import type { NavigationMap } from "./navigation.ts";
import type { OccupancyGrid } from "./occupancy-grid.ts";
import { PathFollower } from "./path-follower.ts";

export type JobResult = CleaningFinished["result"];

export interface JobRequest {
  kind: JobKind;
  plan: JobPlan;
  rooms?: string[];
  zones?: Zone[];
  target?: { x: number; y: number } | null;
}

/** What the robot needs of a job under way: a cleaning job or goto (ActiveJob) or a mapping pass (mapping-pass.ts). */
export interface RunningJob {
  readonly id: string;
  readonly kind: JobKind;
  /** Whether the vacuum runs: consumables wear and the battery drains at the cleaning rate only then. */
  readonly cleans: boolean;
  paused: boolean;
  resumeAfterCharge: boolean;
  readonly done: boolean;
  drive(pose: PlanPose, distanceMm: number): void;
  breakOffToCharge(at: Point): void;
  prepareResume(nav: NavigationMap, from: Point): boolean;
  toJob(): Job;
  finished(result: JobResult, nowSimMs: number): CleaningFinished;
}

/** `event.cleaning_finished` of any job; the duration comes from simulated time, in tenths of a second. */
export function finishedEvent(
  job: { id: string; kind: JobKind; startedSimMs: number },
  result: JobResult,
  nowSimMs: number,
  areaM2: number,
  rooms: CleaningFinished["rooms"],
): CleaningFinished {
  const durationS = Math.round((nowSimMs - job.startedSimMs) / 100) / 10;
  return { jobId: job.id, kind: job.kind, result, areaM2, durationS, rooms };
}

export class ActiveJob implements RunningJob {
  readonly id: string;
  readonly kind: JobKind;
  readonly startedAt: number;
  /** Simulated time at the start: durations come from simulated time, not from the clock. */
  readonly startedSimMs: number;
  /** Set by pause() and by a fault; the robot waits until resume(). */
  paused = false;
  /** Gone to charge; continues by itself once charged. */
  resumeAfterCharge = false;
  private readonly rooms: string[];
  private readonly zones: Zone[];
  private readonly target: { x: number; y: number } | null;
  private readonly plan: JobPlan;
  private readonly tracker: CoverageTracker;
  private passIndex = 0;
  private follower: PathFollower | null = null;
  /** Path back to where the job broke off to charge; driven before the plan continues. */
  private approach: PathFollower | null = null;
  private resumePoint: Point | null = null;

  constructor(id: string, request: JobRequest, grid: OccupancyGrid, startedAt: number, startedSimMs: number) {
    this.id = id;
    this.kind = request.kind;
    this.plan = request.plan;
    this.rooms = request.rooms ?? [];
    this.zones = request.zones ?? [];
    this.target = request.target ?? null;
    this.startedAt = startedAt;
    this.startedSimMs = startedSimMs;
    this.tracker = new CoverageTracker(grid);
  }

  get cleans(): boolean {
    return this.kind !== "goto";
  }

  get done(): boolean {
    return this.passIndex >= this.plan.passes.length;
  }

  /** Drives `pose` up to `distanceMm` along the plan, sweeping as it goes. */
  drive(pose: PlanPose, distanceMm: number): void {
    let budget = distanceMm;
    while (budget > 0 && !this.done) {
      const pass = this.plan.passes[this.passIndex];
      const passId = this.passIndex;
      const sweep = (a: Point, b: Point) => {
        if (pass.region) this.tracker.sweep(a, b, passId, pass.region);
      };
      if (this.approach) {
        budget = this.approach.advance(pose, budget, sweep);
        if (this.approach.done) this.approach = null;
        continue;
      }
      this.follower ??= new PathFollower(pass.points);
      budget = this.follower.advance(pose, budget, sweep);
      if (this.follower.done) {
        this.passIndex++;
        this.follower = null;
      }
    }
  }

  /** Remembers where the robot leaves the plan to go and charge. */
  breakOffToCharge(at: Point): void {
    this.resumeAfterCharge = true;
    this.resumePoint = { x: at.x, y: at.y };
  }

  /** Plans the way back to where the job broke off; false when there is none. */
  prepareResume(nav: NavigationMap, from: Point): boolean {
    this.resumeAfterCharge = false;
    if (!this.resumePoint) return true;
    const path = nav.findPath(from, this.resumePoint);
    this.resumePoint = null;
    this.approach = path ? new PathFollower(path) : null;
    return path !== null;
  }

  toJob(): Job {
    return {
      id: this.id,
      kind: this.kind,
      rooms: [...this.rooms],
      zones: this.zones.map((z) => ({ ...z })),
      target: this.target ? { ...this.target } : null,
      startedAt: this.startedAt,
      areaCleanedM2: this.tracker.areaM2,
      cleanedByRoom: this.tracker.cleanedByRoom(),
      resumeAfterCharge: this.resumeAfterCharge,
    };
  }

  finished(result: JobResult, nowSimMs: number): CleaningFinished {
    return finishedEvent(this, result, nowSimMs, this.tracker.areaM2, this.tracker.cleanedByRoom());
  }
}

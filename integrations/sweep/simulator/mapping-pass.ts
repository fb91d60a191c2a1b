/**
 * A mapping pass (job kind `mapping`, like Valetudo's MappingPassCapability): the robot explores the floor with the
 * vacuum and mop off until no reachable gap is left. Frontier-based exploration (Yamauchi 1997): drive to the
 * nearest free cell the robot has seen that borders one it has not, look around there, repeat. The lidar scans
 * while it drives, so a leg whose target was seen on the way is dropped for the next frontier. "Seen" means seen in
 * this pass: on a floor mapped before, the pass drives through it all again to refresh the map (every scan also
 * goes into the robot's map). Plans use only floor seen in this pass and obey restrictions (the navigation map
 * carries them), so cells behind a no-go area or a virtual wall are never driven to.
 */
import type { CleaningFinished } from "../protocol/methods.ts";
import type { Job } from "../protocol/robot-state.ts";
import { finishedEvent, type JobResult, type RunningJob } from "./active-job.ts";
import type { PlanPose, Point } from "./floor-plan.ts";
import type { NavigationMap } from "./navigation.ts";
import { cellCenter, cellIndexAt } from "./occupancy-grid.ts";
import { PathFollower } from "./path-follower.ts";

/** A pass on any real home needs far fewer legs; this only bounds a map that keeps changing under the robot. */
const MAX_LEGS = 5_000;
/** Scan again after driving this far (as robot-maps.ts does for the map). */
const SCAN_EVERY_MM = 150;
/** How far from its pose the robot looks for a free cell to start from (it may stand on the dock's edge). */
const START_SNAP_MM = 300;

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
] as const;

export interface MappingPassOptions {
  id: string;
  startedAt: number;
  startedSimMs: number;
  /** The floor's navigation map (restrictions applied, no-mop areas not: the mop is off). */
  nav: NavigationMap;
  /** A full lidar scan from a point into the robot's map, also marking what it saw in `seen`. */
  look: (at: Point, seen: Uint8Array) => void;
}

export class MappingPass implements RunningJob {
  readonly id: string;
  readonly kind = "mapping" as const;
  readonly cleans = false;
  readonly startedAt: number;
  readonly startedSimMs: number;
  paused = false;
  resumeAfterCharge = false;
  private readonly nav: NavigationMap;
  /** 1 where this pass has seen the cell. */
  private readonly known: Uint8Array;
  private readonly scan: (at: Point, seen: Uint8Array) => void;
  private sinceScanMm = 0;
  private leg: PathFollower | null = null;
  private legTarget = -1;
  private legs = 0;
  private explored = false;
  /** Frontier cells the robot stood at without learning what lies beyond (never chosen again). */
  private readonly exhausted = new Set<number>();
  // Breadth-first search scratch, reused between legs.
  private readonly queue: Int32Array;
  private readonly parent: Int32Array;
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(o: MappingPassOptions) {
    this.id = o.id;
    this.startedAt = o.startedAt;
    this.startedSimMs = o.startedSimMs;
    this.nav = o.nav;
    this.scan = o.look;
    const n = o.nav.grid.cells.length;
    this.known = new Uint8Array(n);
    this.queue = new Int32Array(n);
    this.parent = new Int32Array(n);
    this.seen = new Uint32Array(n);
  }

  /** True once no reachable frontier is left: the map is complete and the robot goes home. */
  get done(): boolean {
    return this.explored;
  }

  drive(pose: PlanPose, distanceMm: number): void {
    // The lidar reaches 4 m: the target is often seen long before the robot gets there.
    if (this.leg && !this.isFrontier(this.legTarget)) this.leg = null;
    let budget = distanceMm;
    while (budget > 0 && !this.explored) {
      if (!this.leg && !this.planLeg(pose)) {
        this.explored = true;
        break;
      }
      const leg = this.leg!;
      budget = leg.advance(pose, budget, (a, b) => {
        this.sinceScanMm += Math.hypot(b.x - a.x, b.y - a.y);
        if (this.sinceScanMm >= SCAN_EVERY_MM) this.look(pose);
      });
      if (leg.done) {
        this.look(pose);
        if (this.isFrontier(this.legTarget)) this.exhausted.add(this.legTarget);
        this.leg = null;
      }
    }
  }

  breakOffToCharge(): void {
    this.resumeAfterCharge = true;
    this.leg = null;
  }

  /** Exploring needs no place to return to: the next frontier is planned from wherever the robot is. */
  prepareResume(): boolean {
    this.resumeAfterCharge = false;
    this.leg = null;
    return true;
  }

  toJob(): Job {
    return {
      id: this.id,
      kind: this.kind,
      rooms: [],
      zones: [],
      target: null,
      startedAt: this.startedAt,
      areaCleanedM2: 0,
      cleanedByRoom: [],
      resumeAfterCharge: this.resumeAfterCharge,
    };
  }

  finished(result: JobResult, nowSimMs: number): CleaningFinished {
    return finishedEvent(this, result, nowSimMs, 0, []);
  }

  private look(at: Point): void {
    this.sinceScanMm = 0;
    this.scan(at, this.known);
  }

  /** A free cell seen with an unseen neighbour: standing there, the lidar learns something new. */
  private isFrontier(i: number): boolean {
    if (i < 0 || !this.nav.free[i] || !this.known[i]) return false;
    const w = this.nav.grid.width;
    const col = i % w;
    const row = (i - col) / w;
    // Free cells keep the robot's radius from the grid's edge (navigation.ts), so neighbours are on the grid.
    for (const [dc, dr] of NEIGHBOURS) if (!this.known[(row + dr) * w + col + dc]) return true;
    return false;
  }

  /** Breadth-first over known free cells to the nearest frontier; sets the leg, false when none is left. */
  private planLeg(pose: PlanPose): boolean {
    if (++this.legs > MAX_LEGS) return false;
    const { nav } = this;
    const { grid } = nav;
    const w = grid.width;
    let start = cellIndexAt(grid, pose.x, pose.y);
    if (start < 0 || !nav.free[start]) start = nav.nearestFreeCell(pose.x, pose.y, START_SNAP_MM);
    if (start < 0) return false;
    this.look(pose);
    if (this.isFrontier(start)) this.exhausted.add(start);
    const stamp = ++this.stamp;
    let head = 0;
    let tail = 0;
    this.queue[tail++] = start;
    this.seen[start] = stamp;
    this.parent[start] = -1;
    let goal = -1;
    while (head < tail) {
      const i = this.queue[head++];
      if (i !== start && !this.exhausted.has(i) && this.isFrontier(i)) {
        goal = i;
        break;
      }
      const col = i % w;
      const row = (i - col) / w;
      for (const [dc, dr] of NEIGHBOURS) {
        const j = (row + dr) * w + col + dc;
        if (this.seen[j] === stamp || !nav.free[j] || !this.known[j]) continue;
        // Diagonal steps must not cut a corner (as in navigation.ts).
        if (dc !== 0 && dr !== 0 && (!nav.free[row * w + col + dc] || !nav.free[(row + dr) * w + col]))
          continue;
        this.seen[j] = stamp;
        this.parent[j] = i;
        this.queue[tail++] = j;
      }
    }
    if (goal < 0) return false;
    const cells: number[] = [];
    for (let i = goal; i !== -1; i = this.parent[i]) cells.push(i);
    cells.reverse();
    const points = cells.map((i) => cellCenter(grid, i));
    points[0] = { x: pose.x, y: pose.y };
    this.leg = new PathFollower(this.shorten(points, start));
    this.legTarget = goal;
    return true;
  }

  /** Straightens the cell path where the straight line stays on known free cells. */
  private shorten(points: Point[], start: number): Point[] {
    const out = [points[0]];
    let a = 0;
    while (a < points.length - 1) {
      let b = a + 1;
      while (b + 1 < points.length && this.clear(points[a], points[b + 1], start)) b++;
      out.push(points[b]);
      a = b;
    }
    return out;
  }

  private clear(a: Point, b: Point, start: number): boolean {
    const { grid, free } = this.nav;
    const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / (grid.resolutionMm / 4));
    for (let k = 0; k <= steps; k++) {
      const t = steps === 0 ? 0 : k / steps;
      const i = cellIndexAt(grid, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      if (i < 0 || !free[i] || (!this.known[i] && i !== start)) return false;
    }
    return true;
  }
}

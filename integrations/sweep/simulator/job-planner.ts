/**
 * Turns a job (full clean, rooms, zones, goto) into the passes the robot drives. Everything is planned
 * when the job starts, so advancing time only walks along precomputed polylines.
 */

import { planCoverage } from "./coverage-planner.ts";
import type { Point, Rect } from "./floor-plan.ts";
import type { NavigationMap } from "./navigation.ts";
import { CellType, cellCenter, type OccupancyGrid } from "./occupancy-grid.ts";

export interface CleaningPass {
  /** The room this pass cleans; null for zones and goto. */
  roomId: string | null;
  /** Cells this pass credits as cleaned; null when nothing is cleaned (goto). */
  region: Uint8Array | null;
  /** Polyline from where the previous pass ended (or the start) through the whole pass. */
  points: Point[];
}

export interface JobPlan {
  passes: CleaningPass[];
}

/** Floor cells of a room (furniture cells excluded: nothing is cleaned under a sofa). */
export function roomRegion(grid: OccupancyGrid, roomIndex: number): Uint8Array {
  const region = new Uint8Array(grid.cells.length);
  for (let i = 0; i < region.length; i++) {
    if (grid.cells[i] === CellType.floor && grid.roomIndex[i] === roomIndex) region[i] = 1;
  }
  return region;
}

/** Floor cells whose centre lies inside the zone. */
export function zoneRegion(grid: OccupancyGrid, zone: Rect): Uint8Array {
  const region = new Uint8Array(grid.cells.length);
  const res = grid.resolutionMm;
  const c1 = Math.max(0, Math.ceil((zone.x1 - grid.originX) / res - 0.5));
  const c2 = Math.min(grid.width - 1, Math.floor((zone.x2 - grid.originX) / res - 0.5));
  const r1 = Math.max(0, Math.ceil((zone.y1 - grid.originY) / res - 0.5));
  const r2 = Math.min(grid.height - 1, Math.floor((zone.y2 - grid.originY) / res - 0.5));
  for (let r = r1; r <= r2; r++) {
    for (let c = c1; c <= c2; c++) {
      const i = r * grid.width + c;
      if (grid.cells[i] === CellType.floor) region[i] = 1;
    }
  }
  return region;
}

/** Whether a region holds a free cell the robot can reach from `from`. */
export function regionReachable(nav: NavigationMap, region: Uint8Array, from: Point): boolean {
  const component = nav.componentAt(from.x, from.y);
  if (component < 0) return false;
  for (let i = 0; i < region.length; i++) if (region[i] && nav.component[i] === component) return true;
  return false;
}

/**
 * Rooms of a full clean in a sensible order: starting from the robot, always the room whose reachable
 * centre is nearest next (keeps transit short, like vendors' automatic room order). Unreachable rooms
 * are left out.
 */
export function fullCleanOrder(nav: NavigationMap, from: Point): number[] {
  const { grid } = nav;
  const component = nav.componentAt(from.x, from.y);
  const sums = grid.rooms.map(() => ({ x: 0, y: 0, n: 0 }));
  for (let i = 0; i < grid.cells.length; i++) {
    if (!nav.free[i] || nav.component[i] !== component) continue;
    const room = grid.roomIndex[i];
    const p = cellCenter(grid, i);
    sums[room].x += p.x;
    sums[room].y += p.y;
    sums[room].n++;
  }
  const left = sums.flatMap((s, room) => (s.n > 0 ? [{ room, x: s.x / s.n, y: s.y / s.n }] : []));
  const order: number[] = [];
  let at = from;
  while (left.length > 0) {
    let best = 0;
    for (let k = 1; k < left.length; k++) {
      if (dist(left[k], at) < dist(left[best], at)) best = k;
    }
    const [next] = left.splice(best, 1);
    order.push(next.room);
    at = next;
  }
  return order;
}

/** One coverage pass per room index, in the given order (repeats already expanded). */
export function planRooms(nav: NavigationMap, rooms: number[], from: Point): JobPlan {
  const passes: CleaningPass[] = [];
  let at = from;
  for (const room of rooms) {
    const region = roomRegion(nav.grid, room);
    const points = planCoverage(nav, region, at);
    if (points.length === 0) continue;
    passes.push({ roomId: nav.grid.rooms[room].id, region, points });
    at = points[points.length - 1];
  }
  return { passes };
}

/** Each zone cleaned `repeats` times in a row before moving to the next, as vendors do. */
export function planZones(nav: NavigationMap, zones: Rect[], repeats: number, from: Point): JobPlan {
  const passes: CleaningPass[] = [];
  let at = from;
  for (const zone of zones) {
    const region = zoneRegion(nav.grid, zone);
    for (let n = 0; n < repeats; n++) {
      const points = planCoverage(nav, region, at);
      if (points.length === 0) continue;
      passes.push({ roomId: null, region, points });
      at = points[points.length - 1];
    }
  }
  return { passes };
}

export function planGoto(nav: NavigationMap, from: Point, to: Point): JobPlan | null {
  const points = nav.findPath(from, to);
  return points ? { passes: [{ roomId: null, region: null, points }] } : null;
}

const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

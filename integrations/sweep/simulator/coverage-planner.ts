/**
 * Boustrophedon coverage of a region (a room, or a zone intersected with the floor): parallel lanes a
 * swath apart, driven back and forth, then short touch-up lanes for the strips the lanes missed along
 * furniture edges, all joined by collision-free paths. Like real robots, the robot's centre stays on free
 * cells while its swath reaches up to the walls.
 */
import type { Point } from "./floor-plan.ts";
import { discOffsets, type NavigationMap, robotRadiusCells } from "./navigation.ts";
import { cellCenter } from "./occupancy-grid.ts";

/** Distance between neighbouring lanes: the robot's 200 mm swath, so lanes just touch. */
export const LANE_SPACING_MM = 200;

interface Lane {
  row: number;
  c1: number;
  c2: number;
}

/**
 * Plans the coverage of `region` (1 = cell to clean) starting at `start`. Only cells reachable from the
 * start are planned. Returns the polyline to drive, beginning at `start`; empty when nothing is reachable.
 */
export function planCoverage(nav: NavigationMap, region: Uint8Array, start: Point): Point[] {
  const { grid } = nav;
  const { width, height } = grid;
  const component = nav.componentAt(start.x, start.y);
  if (component < 0) return [];
  // Lane centres: free, inside the region and reachable.
  const centre = new Uint8Array(region.length);
  let minCentreRow = height;
  let maxCentreRow = -1;
  let minRegionRow = height;
  for (let i = 0; i < region.length; i++) {
    if (!region[i]) continue;
    const row = Math.floor(i / width);
    minRegionRow = Math.min(minRegionRow, row);
    if (nav.free[i] && nav.component[i] === component) {
      centre[i] = 1;
      minCentreRow = Math.min(minCentreRow, row);
      maxCentreRow = Math.max(maxCentreRow, row);
    }
  }
  if (maxCentreRow < 0) return [];

  const reach = Math.floor(robotRadiusCells(grid));
  const spacing = Math.max(1, Math.round(LANE_SPACING_MM / grid.resolutionMm));
  // The first lane sits a swath-half above the region's edge, or as close as the robot can get.
  const firstRow = Math.min(maxCentreRow, Math.max(minCentreRow, minRegionRow + reach));
  const lanes: Lane[] = [];
  for (let row = firstRow; row <= maxCentreRow; row += spacing) lanes.push(...runsInRow(centre, width, row));

  const covered = new Uint8Array(region.length);
  const disc = discOffsets(robotRadiusCells(grid));
  for (const lane of lanes) markLane(lane, covered, disc, width, height);
  lanes.push(...touchUps(region, centre, covered, disc, width, height, minCentreRow, maxCentreRow));

  return connect(nav, orderLanes(lanes, nav, start), start);
}

/** Maximal runs of consecutive centre cells in one row. */
function runsInRow(centre: Uint8Array, width: number, row: number): Lane[] {
  const lanes: Lane[] = [];
  let c = 0;
  while (c < width) {
    if (!centre[row * width + c]) {
      c++;
      continue;
    }
    const c1 = c;
    while (c < width && centre[row * width + c]) c++;
    lanes.push({ row, c1, c2: c - 1 });
  }
  return lanes;
}

function markLane(lane: Lane, covered: Uint8Array, disc: { dc: number; dr: number }[], w: number, h: number) {
  for (let c = lane.c1; c <= lane.c2; c++) {
    for (const { dc, dr } of disc) {
      const cc = c + dc;
      const rr = lane.row + dr;
      if (cc >= 0 && rr >= 0 && cc < w && rr < h) covered[rr * w + cc] = 1;
    }
  }
}

/**
 * Lanes leave strips uncleaned where furniture edges fall between two lanes. Walking the rows bottom-up,
 * add a lane over every run of centres whose swath would reach a still-uncovered region cell.
 */
function touchUps(
  region: Uint8Array,
  centre: Uint8Array,
  covered: Uint8Array,
  disc: { dc: number; dr: number }[],
  w: number,
  h: number,
  minRow: number,
  maxRow: number,
): Lane[] {
  const out: Lane[] = [];
  const useful = (c: number, row: number) => {
    for (const { dc, dr } of disc) {
      const cc = c + dc;
      const rr = row + dr;
      if (cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
      const j = rr * w + cc;
      if (region[j] && !covered[j]) return true;
    }
    return false;
  };
  for (let row = minRow; row <= maxRow; row++) {
    for (const run of runsInRow(centre, w, row)) {
      let first = -1;
      let last = -1;
      for (let c = run.c1; c <= run.c2; c++) {
        if (!useful(c, row)) continue;
        if (first < 0) first = c;
        last = c;
      }
      if (first < 0) continue;
      const lane = { row, c1: first, c2: last };
      markLane(lane, covered, disc, w, h);
      out.push(lane);
    }
  }
  return out;
}

/** Greedy nearest-lane order: from where the robot is, take the lane with the closest end next. */
function orderLanes(lanes: Lane[], nav: NavigationMap, start: Point): Point[][] {
  const { grid } = nav;
  const ends = lanes.map((l) => [
    cellCenter(grid, l.row * grid.width + l.c1),
    cellCenter(grid, l.row * grid.width + l.c2),
  ]);
  const done = new Uint8Array(lanes.length);
  const out: Point[][] = [];
  let at = start;
  for (let n = 0; n < lanes.length; n++) {
    let best = -1;
    let bestD = Infinity;
    let reversed = false;
    for (let i = 0; i < lanes.length; i++) {
      if (done[i]) continue;
      const [a, b] = ends[i];
      const da = (a.x - at.x) ** 2 + (a.y - at.y) ** 2;
      const db = (b.x - at.x) ** 2 + (b.y - at.y) ** 2;
      if (da < bestD) {
        bestD = da;
        best = i;
        reversed = false;
      }
      if (db < bestD) {
        bestD = db;
        best = i;
        reversed = true;
      }
    }
    done[best] = 1;
    const [a, b] = ends[best];
    out.push(reversed ? [b, a] : [a, b]);
    at = reversed ? a : b;
  }
  return out;
}

function connect(nav: NavigationMap, lanes: Point[][], start: Point): Point[] {
  const points: Point[] = [{ ...start }];
  let at = start;
  for (const [a, b] of lanes) {
    const path = nav.findPath(at, a);
    // Lane ends are free and in the start's component, so a path exists; skip the lane if it somehow does not.
    if (!path) continue;
    points.push(...path.slice(1));
    if (b.x !== a.x || b.y !== a.y) points.push(b);
    at = b;
  }
  return dedupe(points);
}

function dedupe(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || last.x !== p.x || last.y !== p.y) out.push(p);
  }
  return out;
}

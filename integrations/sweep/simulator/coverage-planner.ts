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
  const rows: Lane[][] = [];
  for (let row = firstRow; row <= maxCentreRow; row += spacing) rows.push(runsInRow(centre, width, row));

  const covered = new Uint8Array(region.length);
  const disc = discOffsets(robotRadiusCells(grid));
  for (const lane of rows.flat()) markLane(lane, covered, disc, width, height);
  const extra = touchUps(region, centre, covered, disc, width, height, minCentreRow, maxCentreRow);
  // Touch-ups are short and scattered: each is a block of its own, picked up when the robot is nearby.
  const blocks = [...decompose(rows), ...extra.map((lane) => [lane])];
  return connect(nav, orderBlocks(blocks, nav, start), start);
}

/**
 * Boustrophedon decomposition: consecutive lane runs that overlap one-to-one form a block the robot can
 * sweep back and forth without detours. Where an obstacle splits or merges lanes, a new block begins.
 */
function decompose(rows: Lane[][]): Lane[][] {
  const overlaps = (a: Lane, b: Lane) => a.c1 <= b.c2 && b.c1 <= a.c2;
  const blocks: Lane[][] = [];
  let open = new Map<Lane, Lane[]>();
  rows.forEach((row, k) => {
    const next = new Map<Lane, Lane[]>();
    const prev = k > 0 ? rows[k - 1] : [];
    for (const lane of row) {
      const above = prev.filter((p) => overlaps(p, lane));
      const block = above.length === 1 ? open.get(above[0]) : undefined;
      const single = above.length === 1 && row.filter((l) => overlaps(l, above[0])).length === 1;
      if (block && single) {
        block.push(lane);
        next.set(lane, block);
      } else {
        const fresh = [lane];
        blocks.push(fresh);
        next.set(lane, fresh);
      }
    }
    open = next;
  });
  return blocks;
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
 * add a lane over every run of centres whose swath would reach a missed strip. Single missed cells (the
 * corners a round body cannot reach between two lane ends; a side brush gets those) are not worth a lane.
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
  const missed = (j: number) => region[j] === 1 && covered[j] === 0;
  const strip = new Uint8Array(region.length);
  for (let j = w; j < region.length - w; j++) {
    if (missed(j) && (missed(j - 1) || missed(j + 1) || missed(j - w) || missed(j + w))) strip[j] = 1;
  }
  const useful = (c: number, row: number) => {
    for (const { dc, dr } of disc) {
      const cc = c + dc;
      const rr = row + dr;
      if (cc < 0 || rr < 0 || cc >= w || rr >= h) continue;
      const j = rr * w + cc;
      if (strip[j] && !covered[j]) return true;
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

/**
 * Greedy block order: from where the robot is, the block with the nearest corner is next; it is swept
 * from that corner, lane by lane, alternating direction (the back-and-forth of a real robot).
 */
function orderBlocks(blocks: Lane[][], nav: NavigationMap, start: Point): Point[][] {
  const { grid } = nav;
  const end = (lane: Lane, right: boolean) =>
    cellCenter(grid, lane.row * grid.width + (right ? lane.c2 : lane.c1));
  const done = new Uint8Array(blocks.length);
  const out: Point[][] = [];
  let at = start;
  for (let n = 0; n < blocks.length; n++) {
    let best = -1;
    let bestD = Infinity;
    let fromTop = false;
    let fromRight = false;
    blocks.forEach((block, i) => {
      if (done[i]) return;
      for (const top of [false, true]) {
        for (const right of [false, true]) {
          const p = end(top ? block[block.length - 1] : block[0], right);
          const d = (p.x - at.x) ** 2 + (p.y - at.y) ** 2;
          if (d < bestD) {
            bestD = d;
            best = i;
            fromTop = top;
            fromRight = right;
          }
        }
      }
    });
    done[best] = 1;
    const lanes = fromTop ? [...blocks[best]].reverse() : blocks[best];
    let right = fromRight;
    for (const lane of lanes) {
      out.push([end(lane, right), end(lane, !right)]);
      right = !right;
    }
    at = out[out.length - 1][1];
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

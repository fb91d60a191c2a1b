/**
 * Where the robot's centre may go, and how to get there. The robot is a disc: a cell is free when no wall,
 * obstacle or outside cell lies within the robot's radius (the classic configuration-space inflation), so
 * planning can treat the robot as a point and its pose never overlaps a wall or a piece of furniture.
 */
import type { Point } from "./floor-plan.ts";
import { CellType, cellCenter, cellIndexAt, type OccupancyGrid } from "./occupancy-grid.ts";

/** Robot body radius; also half the cleaning swath (a 200 mm wide brush path, see coverage-tracker.ts). */
export const ROBOT_RADIUS_MM = 100;

/** Cell offsets within `radiusCells` (centre to centre), used for inflation and for the cleaning swath. */
export function discOffsets(radiusCells: number): { dc: number; dr: number }[] {
  const out: { dc: number; dr: number }[] = [];
  const r = Math.floor(radiusCells);
  for (let dr = -r; dr <= r; dr++) {
    for (let dc = -r; dc <= r; dc++) if (dc * dc + dr * dr <= radiusCells * radiusCells) out.push({ dc, dr });
  }
  return out;
}

/**
 * The disc's radius in cells. Half a cell is added so a cell counts as touched when the robot covers
 * about half of it; that keeps results the same at every grid resolution.
 */
export const robotRadiusCells = (grid: OccupancyGrid): number => ROBOT_RADIUS_MM / grid.resolutionMm + 0.5;

const SQRT2 = Math.SQRT2;
const NEIGHBOURS = [
  [1, 0, 1],
  [-1, 0, 1],
  [0, 1, 1],
  [0, -1, 1],
  [1, 1, SQRT2],
  [1, -1, SQRT2],
  [-1, 1, SQRT2],
  [-1, -1, SQRT2],
] as const;

export class NavigationMap {
  readonly grid: OccupancyGrid;
  /** 1 where the robot's centre may be. */
  readonly free: Uint8Array;
  /** Connected component id per free cell (8-connected), -1 elsewhere: reachability is a lookup. */
  readonly component: Int32Array;
  // A* scratch space, reused between searches; `stamp` marks which entries belong to the current search.
  private readonly gScore: Float64Array;
  private readonly parent: Int32Array;
  private readonly seen: Int32Array;
  private readonly closed: Int32Array;
  private searchStamp = 0;
  /** `free` before restrictions were applied (set on the first `setBlocked`). */
  private baseFree: Uint8Array | null = null;

  constructor(grid: OccupancyGrid) {
    this.grid = grid;
    const n = grid.width * grid.height;
    this.free = new Uint8Array(n);
    this.component = new Int32Array(n).fill(-1);
    this.gScore = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.seen = new Int32Array(n);
    this.closed = new Int32Array(n);
    this.inflate();
    this.labelComponents();
  }

  private inflate(): void {
    const { width, height, cells } = this.grid;
    for (let i = 0; i < cells.length; i++) this.free[i] = cells[i] === CellType.floor ? 1 : 0;
    const disc = discOffsets(robotRadiusCells(this.grid));
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const t = cells[row * width + col];
        if (t === CellType.floor) continue;
        // Only blocked cells bordering the floor can take free cells away; skipping the rest keeps big
        // outside areas cheap.
        if (!this.bordersFloor(col, row)) continue;
        for (const { dc, dr } of disc) {
          const c = col + dc;
          const r = row + dr;
          if (c >= 0 && r >= 0 && c < width && r < height) this.free[r * width + c] = 0;
        }
      }
    }
    // The grid's edge counts as outside too.
    const edge = Math.ceil(robotRadiusCells(this.grid));
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        if (row < edge || col < edge || row >= height - edge || col >= width - edge)
          this.free[row * width + col] = 0;
      }
    }
  }

  /**
   * Takes cells away from (or gives them back to) the robot's centre: no-go areas and virtual walls (and no-mop
   * areas while mopping) are applied here, so every plan, path and reachability check obeys them.
   */
  setBlocked(blocked: Uint8Array | null): void {
    this.baseFree ??= this.free.slice();
    const base = this.baseFree;
    for (let i = 0; i < base.length; i++) this.free[i] = base[i] === 1 && !blocked?.[i] ? 1 : 0;
    this.component.fill(-1);
    this.labelComponents();
  }

  /** Whether the robot's centre could be at this point if no restriction applied. */
  isFreeIgnoringRestrictions(x: number, y: number): boolean {
    const i = cellIndexAt(this.grid, x, y);
    return i >= 0 && (this.baseFree ?? this.free)[i] === 1;
  }

  private bordersFloor(col: number, row: number): boolean {
    const { width, height, cells } = this.grid;
    for (const [dc, dr] of NEIGHBOURS) {
      const c = col + dc;
      const r = row + dr;
      if (c >= 0 && r >= 0 && c < width && r < height && cells[r * width + c] === CellType.floor) return true;
    }
    return false;
  }

  private labelComponents(): void {
    const { width, height } = this.grid;
    const queue = new Int32Array(width * height);
    let next = 0;
    for (let start = 0; start < this.free.length; start++) {
      if (!this.free[start] || this.component[start] >= 0) continue;
      const id = next++;
      let head = 0;
      let tail = 0;
      queue[tail++] = start;
      this.component[start] = id;
      while (head < tail) {
        const i = queue[head++];
        const col = i % width;
        const row = (i - col) / width;
        for (const [dc, dr] of NEIGHBOURS) {
          const c = col + dc;
          const r = row + dr;
          if (c < 0 || r < 0 || c >= width || r >= height) continue;
          const j = r * width + c;
          if (this.free[j] && this.component[j] < 0 && this.canStep(col, row, dc, dr)) {
            this.component[j] = id;
            queue[tail++] = j;
          }
        }
      }
    }
  }

  /** Diagonal steps must not cut a corner: both orthogonal neighbours have to be free as well. */
  private canStep(col: number, row: number, dc: number, dr: number): boolean {
    if (dc === 0 || dr === 0) return true;
    const w = this.grid.width;
    return this.free[row * w + col + dc] === 1 && this.free[(row + dr) * w + col] === 1;
  }

  isFreeAt(x: number, y: number): boolean {
    const i = cellIndexAt(this.grid, x, y);
    return i >= 0 && this.free[i] === 1;
  }

  componentAt(x: number, y: number): number {
    const i = cellIndexAt(this.grid, x, y);
    return i >= 0 ? this.component[i] : -1;
  }

  /** The free cell nearest to a point within `maxDistanceMm` (breadth-first in rings), or -1. */
  nearestFreeCell(x: number, y: number, maxDistanceMm: number, component = -1): number {
    const { width, height, resolutionMm } = this.grid;
    const col0 = Math.floor((x - this.grid.originX) / resolutionMm);
    const row0 = Math.floor((y - this.grid.originY) / resolutionMm);
    const maxRing = Math.ceil(maxDistanceMm / resolutionMm);
    let best = -1;
    let bestD = Infinity;
    for (let ring = 0; ring <= maxRing; ring++) {
      for (let dr = -ring; dr <= ring; dr++) {
        for (let dc = -ring; dc <= ring; dc++) {
          if (Math.max(Math.abs(dc), Math.abs(dr)) !== ring) continue;
          const c = col0 + dc;
          const r = row0 + dr;
          if (c < 0 || r < 0 || c >= width || r >= height) continue;
          const i = r * width + c;
          if (!this.free[i] || (component >= 0 && this.component[i] !== component)) continue;
          const p = cellCenter(this.grid, i);
          const d = Math.hypot(p.x - x, p.y - y);
          if (d < bestD && d <= maxDistanceMm) {
            bestD = d;
            best = i;
          }
        }
      }
      // A ring further out cannot hold anything closer than one ring-width beyond the best found.
      if (best >= 0 && ring * resolutionMm > bestD + resolutionMm) break;
    }
    return best;
  }

  /**
   * Shortest collision-free path between two free points (A* on the 8-connected grid, then shortened by
   * line of sight). The result starts at `from` and ends at `to`; null when they are not connected.
   */
  findPath(from: Point, to: Point): Point[] | null {
    const start = cellIndexAt(this.grid, from.x, from.y);
    const goal = cellIndexAt(this.grid, to.x, to.y);
    if (start < 0 || goal < 0 || !this.free[start] || !this.free[goal]) return null;
    if (this.component[start] !== this.component[goal]) return null;
    if (this.segmentIsFree(from, to)) return [{ ...from }, { ...to }];
    const cellsPath = this.astar(start, goal);
    if (!cellsPath) return null;
    const points = cellsPath.map((i) => cellCenter(this.grid, i));
    points[0] = { ...from };
    points[points.length - 1] = { ...to };
    return this.shorten(points);
  }

  private astar(start: number, goal: number): number[] | null {
    const { width } = this.grid;
    const stamp = ++this.searchStamp;
    const goalCol = goal % width;
    const goalRow = (goal - goalCol) / width;
    const h = (i: number) => {
      const c = i % width;
      const dx = Math.abs(c - goalCol);
      const dy = Math.abs((i - c) / width - goalRow);
      // Octile distance, nudged up a hair so ties favour nodes nearer the goal (fewer expansions).
      return (Math.max(dx, dy) + (SQRT2 - 1) * Math.min(dx, dy)) * 1.0001;
    };
    const heap = new MinHeap();
    this.seen[start] = stamp;
    this.gScore[start] = 0;
    this.parent[start] = -1;
    heap.push(start, h(start));
    while (heap.size > 0) {
      const i = heap.pop();
      if (this.closed[i] === stamp) continue;
      this.closed[i] = stamp;
      if (i === goal) break;
      const col = i % width;
      const row = (i - col) / width;
      const g = this.gScore[i];
      for (const [dc, dr, cost] of NEIGHBOURS) {
        const j = (row + dr) * width + col + dc;
        // Free cells never touch the grid edge (see inflate), so neighbours are always on the grid.
        if (!this.free[j] || this.closed[j] === stamp || !this.canStep(col, row, dc, dr)) continue;
        const ng = g + cost;
        if (this.seen[j] === stamp && ng >= this.gScore[j]) continue;
        this.seen[j] = stamp;
        this.gScore[j] = ng;
        this.parent[j] = i;
        heap.push(j, ng + h(j));
      }
    }
    if (this.closed[goal] !== stamp) return null;
    const path: number[] = [];
    for (let i = goal; i !== -1; i = this.parent[i]) path.push(i);
    return path.reverse();
  }

  /** Greedy string pulling: keep a point only when the straight line past it would hit something. */
  private shorten(points: Point[]): Point[] {
    const out = [points[0]];
    let anchor = 0;
    while (anchor < points.length - 1) {
      let next = anchor + 1;
      for (let j = points.length - 1; j > next; j--) {
        if (this.segmentIsFree(points[anchor], points[j])) {
          next = j;
          break;
        }
      }
      out.push(points[next]);
      anchor = next;
    }
    return out;
  }

  /**
   * Whether every cell a straight segment passes through is free (grid traversal after Amanatides & Woo;
   * where the segment crosses a cell corner exactly, both side cells are checked).
   */
  segmentIsFree(a: Point, b: Point): boolean {
    const { width, height, resolutionMm, originX, originY } = this.grid;
    const ax = (a.x - originX) / resolutionMm;
    const ay = (a.y - originY) / resolutionMm;
    const bx = (b.x - originX) / resolutionMm;
    const by = (b.y - originY) / resolutionMm;
    let col = Math.floor(ax);
    let row = Math.floor(ay);
    const endCol = Math.floor(bx);
    const endRow = Math.floor(by);
    const ok = (c: number, r: number) =>
      c >= 0 && r >= 0 && c < width && r < height && this.free[r * width + c] === 1;
    if (!ok(col, row)) return false;
    const dx = bx - ax;
    const dy = by - ay;
    const stepC = Math.sign(dx);
    const stepR = Math.sign(dy);
    const tDeltaX = dx !== 0 ? 1 / Math.abs(dx) : Infinity;
    const tDeltaY = dy !== 0 ? 1 / Math.abs(dy) : Infinity;
    let tMaxX = dx > 0 ? (col + 1 - ax) * tDeltaX : dx < 0 ? (ax - col) * tDeltaX : Infinity;
    let tMaxY = dy > 0 ? (row + 1 - ay) * tDeltaY : dy < 0 ? (ay - row) * tDeltaY : Infinity;
    let guard = Math.abs(endCol - col) + Math.abs(endRow - row) + 2;
    while ((col !== endCol || row !== endRow) && guard-- > 0) {
      if (Math.min(tMaxX, tMaxY) > 1) break;
      if (Math.abs(tMaxX - tMaxY) < 1e-9) {
        if (!ok(col + stepC, row) || !ok(col, row + stepR)) return false;
        col += stepC;
        row += stepR;
        tMaxX += tDeltaX;
        tMaxY += tDeltaY;
      } else if (tMaxX < tMaxY) {
        col += stepC;
        tMaxX += tDeltaX;
      } else {
        row += stepR;
        tMaxY += tDeltaY;
      }
      if (!ok(col, row)) return false;
    }
    return ok(endCol, endRow);
  }
}

/** Binary min-heap of cell indices keyed by priority. */
class MinHeap {
  private readonly items: number[] = [];
  private readonly keys: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: number, key: number): void {
    const { items, keys } = this;
    let i = items.length;
    items.push(item);
    keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      items[i] = items[p];
      keys[i] = keys[p];
      i = p;
    }
    items[i] = item;
    keys[i] = key;
  }

  pop(): number {
    const { items, keys } = this;
    const top = items[0];
    const lastItem = items.pop()!;
    const lastKey = keys.pop()!;
    const n = items.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && keys[r] < keys[l] ? r : l;
        if (keys[c] >= lastKey) break;
        items[i] = items[c];
        keys[i] = keys[c];
        i = c;
      }
      items[i] = lastItem;
      keys[i] = lastKey;
    }
    return top;
  }
}

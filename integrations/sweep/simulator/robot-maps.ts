/**
 * The robot's own maps, one per floor, as its sensors built them: a cell is known once the lidar has seen it
 * (rays from the robot stop at walls and furniture), so the first ("mapping") run fills the map in as the
 * robot drives. Each floor keeps a version, its restrictions and the path of the current cleaning session, and
 * collects what changed (cells, path points, pose) into deltas. Pure: no timers, no I/O.
 */
import {
  MapCell,
  type MapDelta,
  type MapPose,
  type Restriction,
  type RobotMap,
} from "../protocol/map-model.ts";
import type { FloorMaps } from "./floor-maps.ts";
import type { Point } from "./floor-plan.ts";
import { CellType, type OccupancyGrid } from "./occupancy-grid.ts";

/** The lidar's useful range and angular resolution (2 degrees), typical of robot vacuums. */
export const SENSOR_RANGE_MM = 4_000;
const RAYS = 180;
/** Scan again after the robot moved this far (a real lidar spins at 5 Hz; this is enough for the map). */
const RESCAN_DISTANCE_MM = 150;
/** Path points closer together than this are not recorded. */
const PATH_STEP_MM = 50;

const TYPE_OF: Record<number, number> = {
  [CellType.outside]: MapCell.unknown,
  [CellType.floor]: MapCell.floor,
  [CellType.wall]: MapCell.wall,
  [CellType.obstacle]: MapCell.obstacle,
};

export class FloorMapState {
  readonly floorId: string;
  readonly grid: OccupancyGrid;
  readonly known: Uint8Array;
  version = 1;
  /** Whether the robot has explored this floor completely (created explored, or after a mapping pass). */
  explored: boolean;
  restrictions: Restriction[] = [];
  /** Bumped when restrictions change, so the navigation map knows to re-apply them. */
  restrictionsRevision = 0;
  path: Point[] = [];
  /** Path points not yet sent in a delta (the start of `path` was sent already). */
  private sentPathLength = 0;
  private pathReset = false;
  private readonly changed = new Set<number>();
  private lastScan: Point | null = null;
  private sentPose: MapPose | null = null;

  constructor(floorId: string, grid: OccupancyGrid, explored: boolean) {
    this.floorId = floorId;
    this.grid = grid;
    this.known = new Uint8Array(grid.cells.length);
    this.explored = explored;
    if (explored) this.known.fill(1);
  }

  typeAt(i: number): number {
    return this.known[i] ? TYPE_OF[this.grid.cells[i]] : MapCell.unknown;
  }

  segmentAt(i: number): number {
    if (!this.known[i]) return 0;
    const t = this.grid.cells[i];
    if (t !== CellType.floor && t !== CellType.obstacle) return 0;
    const room = this.grid.roomIndex[i];
    return room >= 0 ? room + 1 : 0;
  }

  /**
   * Casts the lidar's rays from `pose`; cells they reach become known. `force` scans even right after a scan;
   * `alsoMark` gets a 1 for every cell reached (a mapping pass keeps what it saw itself).
   */
  sense(pose: Point, force = false, alsoMark?: Uint8Array): void {
    if (
      !force &&
      this.lastScan &&
      Math.hypot(pose.x - this.lastScan.x, pose.y - this.lastScan.y) < RESCAN_DISTANCE_MM
    ) {
      return;
    }
    this.lastScan = { x: pose.x, y: pose.y };
    const { grid } = this;
    const step = grid.resolutionMm / 2;
    const steps = Math.ceil(SENSOR_RANGE_MM / step);
    for (let k = 0; k < RAYS; k++) {
      const a = (k / RAYS) * 2 * Math.PI;
      const dx = Math.cos(a) * step;
      const dy = Math.sin(a) * step;
      let x = pose.x;
      let y = pose.y;
      for (let s = 0; s < steps; s++) {
        x += dx;
        y += dy;
        const col = Math.floor((x - grid.originX) / grid.resolutionMm);
        const row = Math.floor((y - grid.originY) / grid.resolutionMm);
        if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) break;
        const i = row * grid.width + col;
        const type = grid.cells[i];
        if (type === CellType.outside) break;
        if (!this.known[i]) {
          this.known[i] = 1;
          this.changed.add(i);
        }
        if (alsoMark) alsoMark[i] = 1;
        if (type !== CellType.floor) break;
      }
    }
  }

  /** Starts the path of a new cleaning session. */
  resetPath(start: Point): void {
    this.path = [{ x: Math.round(start.x), y: Math.round(start.y) }];
    this.sentPathLength = 0;
    this.pathReset = true;
  }

  recordPath(pose: Point): void {
    const p = { x: Math.round(pose.x), y: Math.round(pose.y) };
    const last = this.path[this.path.length - 1];
    if (last && Math.hypot(p.x - last.x, p.y - last.y) < PATH_STEP_MM) return;
    // Straight runs keep only their ends (points already sent stay as they are).
    const before = this.path[this.path.length - 2];
    if (last && before && this.path.length - 1 > this.sentPathLength) {
      const cross = (last.x - before.x) * (p.y - before.y) - (last.y - before.y) * (p.x - before.x);
      if (Math.abs(cross) < 1e-6 * Math.max(1, Math.hypot(p.x - before.x, p.y - before.y) ** 2)) {
        this.path[this.path.length - 1] = p;
        return;
      }
    }
    this.path.push(p);
  }

  /** Whether anything is waiting for a delta. */
  hasChanges(pose: MapPose | null): boolean {
    return (
      this.changed.size > 0 ||
      this.pathReset ||
      this.path.length > this.sentPathLength ||
      !samePose(pose, this.sentPose)
    );
  }

  /** The changes since the last delta or full map, as the next version; null when nothing changed. */
  takeDelta(pose: MapPose | null): { delta: MapDelta; lastPathPoint: Point | null } | null {
    if (!this.hasChanges(pose)) return null;
    const lastPathPoint =
      this.pathReset || this.sentPathLength === 0 ? null : this.path[this.sentPathLength - 1];
    const indices = [...this.changed].sort((a, b) => a - b);
    const cells: MapDelta["cells"] = [];
    for (let k = 0; k < indices.length; ) {
      let end = k + 1;
      while (end < indices.length && indices[end] === indices[end - 1] + 1) end++;
      const start = indices[k];
      const n = end - k;
      const types = new Uint8Array(n);
      const segments = new Uint8Array(n);
      for (let j = 0; j < n; j++) {
        types[j] = this.typeAt(start + j);
        segments[j] = this.segmentAt(start + j);
      }
      cells.push({ start, types, segments });
      k = end;
    }
    const delta: MapDelta = {
      floor: this.floorId,
      baseVersion: this.version,
      version: this.version + 1,
      robot: samePose(pose, this.sentPose) ? null : pose,
      pathReset: this.pathReset,
      path: this.path.slice(this.pathReset ? 0 : this.sentPathLength),
      cells,
    };
    this.version++;
    this.markSent(pose);
    return { delta, lastPathPoint };
  }

  /** A change a delta cannot carry (rooms, restrictions): the next frame must be a full one. */
  layoutChanged(): void {
    this.version++;
  }

  /** The whole map as it is now; what was pending is included, so it counts as sent. */
  snapshot(pose: MapPose | null): RobotMap {
    const n = this.grid.cells.length;
    const cells = new Uint8Array(n);
    const segments = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      cells[i] = this.typeAt(i);
      segments[i] = this.segmentAt(i);
    }
    if (this.hasChanges(pose)) this.version++;
    this.markSent(pose);
    const { grid } = this;
    return {
      floor: this.floorId,
      version: this.version,
      pixelMm: grid.resolutionMm,
      originX: grid.originX,
      originY: grid.originY,
      width: grid.width,
      height: grid.height,
      cells,
      segments,
      rooms: grid.rooms.map((r) => ({ id: r.id, name: r.name, segment: r.index + 1, areaM2: r.areaM2 })),
      restrictions: this.restrictions.map((r) => ({ ...r })),
      dock: grid.dock ? { ...grid.dock } : null,
      robot: pose ? { ...pose } : null,
      path: this.path.map((p) => ({ ...p })),
    };
  }

  private markSent(pose: MapPose | null): void {
    this.changed.clear();
    this.pathReset = false;
    this.sentPathLength = this.path.length;
    this.sentPose = pose ? { ...pose } : null;
  }
}

const samePose = (a: MapPose | null, b: MapPose | null) =>
  a === b || (a !== null && b !== null && a.x === b.x && a.y === b.y && a.angle === b.angle);

/** Every floor's map state, created when a floor is first needed. */
export class RobotMaps {
  private readonly floors = new Map<string, FloorMapState>();
  private readonly maps: FloorMaps;
  private readonly explored: boolean;

  constructor(maps: FloorMaps, explored: boolean) {
    this.maps = maps;
    this.explored = explored;
  }

  get(floorId: string): FloorMapState {
    let state = this.floors.get(floorId);
    if (!state) {
      state = new FloorMapState(floorId, this.maps.get(floorId).nav.grid, this.explored);
      this.floors.set(floorId, state);
    }
    return state;
  }
}

/**
 * Rasterises a floor into an occupancy grid: what a robot's lidar map holds (free floor, walls, obstacles,
 * unknown outside) plus a room (segment) index per cell. The grid is the simulator's ground truth for
 * planning and coverage, and the shape a map feature can send as is.
 */
import { type FloorDef, floorBounds, type PlanPose, roomIndexAt, WALL_THICKNESS_MM } from "./floor-plan.ts";

export const CellType = { outside: 0, floor: 1, wall: 2, obstacle: 3 } as const;
export type CellTypeValue = (typeof CellType)[keyof typeof CellType];

export interface RoomSegment {
  /** Position in `OccupancyGrid.rooms`, the value stored in `roomIndex`. */
  index: number;
  id: string;
  name: string;
  /** Footprint without walls (furniture included, as vendors report it), square metres. */
  areaM2: number;
}

export interface OccupancyGrid {
  floorId: string;
  resolutionMm: number;
  /** Map coordinates (mm) of the grid's lower-left corner; cell (0, 0) spans origin..origin+resolution. */
  originX: number;
  originY: number;
  width: number;
  height: number;
  /** CellType per cell, row-major from the bottom row (index = row * width + col). */
  cells: Uint8Array;
  /** Index into `rooms` for every cell inside the home (walls included), -1 outside. */
  roomIndex: Int16Array;
  rooms: RoomSegment[];
  dock: PlanPose | null;
}

export const DEFAULT_RESOLUTION_MM = 50;

export function rasteriseFloor(floor: FloorDef, resolutionMm = DEFAULT_RESOLUTION_MM): OccupancyGrid {
  const bounds = floorBounds(floor);
  const width = Math.ceil((bounds.x2 - bounds.x1) / resolutionMm);
  const height = Math.ceil((bounds.y2 - bounds.y1) / resolutionMm);
  const cells = new Uint8Array(width * height);
  const roomIndex = new Int16Array(width * height).fill(-1);
  const half = WALL_THICKNESS_MM / 2;
  // Probing a half wall thickness away in eight directions finds every cell within the wall band.
  const probes = [
    [half, 0],
    [-half, 0],
    [0, half],
    [0, -half],
    [half, half],
    [half, -half],
    [-half, half],
    [-half, -half],
  ];
  const inDoor = (x: number, y: number) =>
    floor.doors.some((d) => x >= d.x1 && x < d.x2 && y >= d.y1 && y < d.y2);

  for (let row = 0; row < height; row++) {
    const y = bounds.y1 + (row + 0.5) * resolutionMm;
    for (let col = 0; col < width; col++) {
      const x = bounds.x1 + (col + 0.5) * resolutionMm;
      const room = roomIndexAt(floor, x, y);
      if (room < 0) continue;
      const i = row * width + col;
      roomIndex[i] = room;
      let type: CellTypeValue = CellType.floor;
      for (const [dx, dy] of probes) {
        const other = roomIndexAt(floor, x + dx, y + dy);
        if (other === room) continue;
        // Outer walls stay closed; walls between rooms open where a door is.
        if (other < 0 || !inDoor(x, y)) {
          type = CellType.wall;
          break;
        }
      }
      cells[i] = type;
    }
  }

  for (const item of floor.furniture) {
    const c1 = Math.max(0, Math.floor((item.rect.x1 - bounds.x1) / resolutionMm));
    const c2 = Math.min(width - 1, Math.ceil((item.rect.x2 - bounds.x1) / resolutionMm) - 1);
    const r1 = Math.max(0, Math.floor((item.rect.y1 - bounds.y1) / resolutionMm));
    const r2 = Math.min(height - 1, Math.ceil((item.rect.y2 - bounds.y1) / resolutionMm) - 1);
    // Every cell the furniture touches is blocked, so a 50 mm table leg shows up at any resolution.
    for (let row = r1; row <= r2; row++) {
      for (let col = c1; col <= c2; col++) {
        const i = row * width + col;
        if (cells[i] === CellType.floor) cells[i] = CellType.obstacle;
      }
    }
  }

  const cellArea = (resolutionMm * resolutionMm) / 1e6;
  const counts = new Array<number>(floor.rooms.length).fill(0);
  for (let i = 0; i < cells.length; i++) {
    if (cells[i] === CellType.floor || cells[i] === CellType.obstacle) counts[roomIndex[i]]++;
  }
  const rooms = floor.rooms.map((room, index) => ({
    index,
    id: room.id,
    name: room.name,
    areaM2: Math.round(counts[index] * cellArea * 100) / 100,
  }));

  return {
    floorId: floor.id,
    resolutionMm,
    originX: bounds.x1,
    originY: bounds.y1,
    width,
    height,
    cells,
    roomIndex,
    rooms,
    dock: floor.dock ? { ...floor.dock } : null,
  };
}

/** Index of the cell containing a map point, or -1 when it is off the grid. */
export function cellIndexAt(grid: OccupancyGrid, x: number, y: number): number {
  const col = Math.floor((x - grid.originX) / grid.resolutionMm);
  const row = Math.floor((y - grid.originY) / grid.resolutionMm);
  if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) return -1;
  return row * grid.width + col;
}

export function cellCenter(grid: OccupancyGrid, index: number): { x: number; y: number } {
  const col = index % grid.width;
  const row = (index - col) / grid.width;
  return {
    x: grid.originX + (col + 0.5) * grid.resolutionMm,
    y: grid.originY + (row + 0.5) * grid.resolutionMm,
  };
}

export const cellAreaM2 = (grid: OccupancyGrid): number => (grid.resolutionMm * grid.resolutionMm) / 1e6;

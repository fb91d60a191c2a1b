/**
 * Counts cleaned area the way a robot reports it: cells swept by the 200 mm swath while a cleaning pass
 * is active, each cell once per pass. A pass is one room of a full clean, one entry of a room list (so a
 * room cleaned twice counts twice), or one zone repeat. Only cells of the pass's region count, so passing
 * through the hallway on the way to the kitchen does not credit the hallway.
 */
import type { Point } from "./floor-plan.ts";
import { discOffsets, robotRadiusCells } from "./navigation.ts";
import { cellAreaM2, cellIndexAt, type OccupancyGrid } from "./occupancy-grid.ts";

export class CoverageTracker {
  private readonly grid: OccupancyGrid;
  /** Pass id that last swept each cell; a cell counts again only for a different pass. */
  private readonly sweptBy: Int32Array;
  private readonly disc: { dc: number; dr: number }[];
  private readonly cellArea: number;
  private cells = 0;
  /** Cleaned cells per room index, in the order rooms were first cleaned. */
  private readonly byRoom = new Map<number, number>();

  constructor(grid: OccupancyGrid) {
    this.grid = grid;
    this.sweptBy = new Int32Array(grid.width * grid.height).fill(-1);
    this.disc = discOffsets(robotRadiusCells(grid));
    this.cellArea = cellAreaM2(grid);
  }

  /** Sweeps the straight move from `a` to `b` for pass `passId`, crediting only cells where `region` is 1. */
  sweep(a: Point, b: Point, passId: number, region: Uint8Array): void {
    const { grid } = this;
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    // Sample at most a cell apart: the disc is 5 cells wide, so consecutive discs overlap without gaps.
    const steps = Math.max(1, Math.ceil(length / grid.resolutionMm));
    for (let s = 0; s <= steps; s++) {
      const t = s / steps;
      const i = cellIndexAt(grid, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      if (i >= 0) this.sweepDisc(i, passId, region);
    }
  }

  private sweepDisc(centre: number, passId: number, region: Uint8Array): void {
    const { width, height, roomIndex } = this.grid;
    const col = centre % width;
    const row = (centre - col) / width;
    for (const { dc, dr } of this.disc) {
      const c = col + dc;
      const r = row + dr;
      if (c < 0 || r < 0 || c >= width || r >= height) continue;
      const j = r * width + c;
      if (!region[j] || this.sweptBy[j] === passId) continue;
      this.sweptBy[j] = passId;
      this.cells++;
      const room = roomIndex[j];
      this.byRoom.set(room, (this.byRoom.get(room) ?? 0) + 1);
    }
  }

  get areaM2(): number {
    return round2(this.cells * this.cellArea);
  }

  cleanedByRoom(): { id: string; areaM2: number }[] {
    return [...this.byRoom].map(([room, n]) => ({
      id: this.grid.rooms[room].id,
      areaM2: round2(n * this.cellArea),
    }));
  }
}

const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * What the map canvas draws, independent of where it came from: the hub's map API when the robot has the
 * `map` capability (converted in map-source.ts), otherwise only what the live state tells (the robot, its dock
 * and the path driven since the job started). Pure helpers, unit-tested.
 */
import { type Bounds, boundsOf, type Point } from "./map-view.ts";

export interface Pose extends Point {
  angle: number;
}

/** Cell values of the occupancy layer. */
export const CELL = { unknown: 0, floor: 1, wall: 2, obstacle: 3 } as const;

export interface MapGrid {
  /** Map-frame position (mm) of the lower-left corner of cell (0, 0); rows go up (+y). */
  originX: number;
  originY: number;
  pixelMm: number;
  width: number;
  height: number;
  /** width * height cells, row-major from the bottom row, values from CELL. */
  cells: Uint8Array;
  /** Optional room layer: segment number per cell, 0 = no room; `MapRoom.segment` names them. */
  segments: Uint8Array | null;
}

export interface MapRoom {
  id: string;
  name: string;
  /** The number its cells carry in the grid's room layer. */
  segment: number;
  /** `#rrggbb` chosen by the user (or the hub's default); otherwise a colour from roomColor. */
  color?: string;
  /** Where to draw the name (map frame, mm). */
  label: Point;
}

export type RestrictionKind = "no_go" | "no_mop" | "virtual_wall";

export interface MapRestriction {
  id: string;
  kind: RestrictionKind;
  /** A rectangle's four corners or a wall's two ends (map frame, mm). */
  points: Point[];
}

export interface MapModel {
  floor: string | null;
  grid: MapGrid | null;
  rooms: MapRoom[];
  restrictions: MapRestriction[];
  path: Point[];
  robot: Pose | null;
  dock: Pose | null;
}

export const emptyMap = (): MapModel => ({
  floor: null,
  grid: null,
  rooms: [],
  restrictions: [],
  path: [],
  robot: null,
  dock: null,
});

/** Pleasant, distinct room colours that keep dark text readable in both themes (golden-angle hues). */
export function roomColor(index: number, dark = false): [number, number, number] {
  const hue = (index * 137.508 + 200) % 360;
  return hslToRgb(hue, dark ? 0.38 : 0.62, dark ? 0.34 : 0.8);
}

/** Colours by segment number, in the order rooms are listed (so colours stay put when a room is renamed). */
export function roomPalette(
  rooms: readonly MapRoom[],
  dark = false,
): ([number, number, number] | undefined)[] {
  const palette: ([number, number, number] | undefined)[] = [];
  rooms.forEach((room, i) => {
    palette[room.segment] = (room.color && hexToRgb(room.color, dark)) || roomColor(i, dark);
  });
  return palette;
}

/** A `#rrggbb` colour; in dark mode darkened so the map stays calm and labels readable. */
export function hexToRgb(hex: string, dark = false): [number, number, number] | null {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return null;
  const rgb = [m[1], m[2], m[3]].map((h) => Number.parseInt(h!, 16)) as [number, number, number];
  return dark ? (rgb.map((c) => Math.round(c * 0.45)) as [number, number, number]) : rgb;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

export interface GridPalette {
  floor: [number, number, number];
  wall: [number, number, number];
  obstacle: [number, number, number];
  /** Colour per segment number (sparse). */
  rooms: ([number, number, number] | undefined)[];
}

/**
 * The grid as RGBA pixels, top row first (canvas order): drawn once per map change into an offscreen bitmap,
 * then only transformed per frame, so a 1000 x 1000 map stays cheap while the robot moves.
 */
export function gridToRgba(grid: MapGrid, palette: GridPalette, out?: Uint8ClampedArray): Uint8ClampedArray {
  const { width, height, cells, segments } = grid;
  const px = out ?? new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const src = row * width;
    let dst = (height - 1 - row) * width * 4;
    for (let col = 0; col < width; col++, dst += 4) {
      const cell = cells[src + col];
      let rgb: [number, number, number] | undefined;
      if (cell === CELL.wall) rgb = palette.wall;
      else if (cell === CELL.obstacle) rgb = palette.obstacle;
      else if (cell === CELL.floor) {
        const seg = segments ? segments[src + col] : 0;
        rgb = (seg && palette.rooms[seg]) || palette.floor;
      }
      if (rgb) {
        px[dst] = rgb[0];
        px[dst + 1] = rgb[1];
        px[dst + 2] = rgb[2];
        px[dst + 3] = 255;
      } else px[dst + 3] = 0;
    }
  }
  return px;
}

/** What to frame when fitting the view: the grid when there is one, else everything known, with a margin. */
export function modelBounds(model: MapModel): Bounds | null {
  if (model.grid) {
    const g = model.grid;
    return {
      x1: g.originX,
      y1: g.originY,
      x2: g.originX + g.width * g.pixelMm,
      y2: g.originY + g.height * g.pixelMm,
    };
  }
  const pts: Point[] = [...model.path];
  if (model.robot) pts.push(model.robot);
  if (model.dock) pts.push(model.dock);
  for (const r of model.restrictions) pts.push(...r.points);
  return boundsOf(pts, 1500);
}

/**
 * The hub's Map JSON and live map deltas (docs/api.md §Maps) turned into what the canvas draws (map-model.ts),
 * and deltas applied in place. Pure functions, unit-tested against the documented examples.
 */
import type { Room } from "../../../integrations/sweep/protocol/robot-state.ts";
import type { MapModel, MapRestriction, MapRoom, Pose } from "./map-model.ts";
import type { Point } from "./map-view.ts";

export interface MapJsonRoom {
  id: string;
  segment: number;
  name: string;
  robotName: string;
  color: string;
  order: number;
  areaM2: number;
  label: Point;
}

export interface MapJsonRestriction {
  id: string;
  kind: "no_go" | "no_mop" | "virtual_wall";
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface MapJson {
  robotId: string;
  floor: string;
  floors: string[];
  currentFloor: string;
  version: number;
  updatedAt: number;
  pixelMm: number;
  originX: number;
  originY: number;
  width: number;
  height: number;
  layers: { encoding: "rle"; cells: number[]; segments: number[] };
  rooms: MapJsonRoom[];
  restrictions: MapJsonRestriction[];
  dock: Pose | null;
  robot: Pose | null;
  path: number[];
}

export interface MapDeltaJson {
  floor: string;
  baseVersion: number;
  version: number;
  robot: Pose | null;
  pathReset: boolean;
  path: number[];
  cells: { start: number; types: number[]; segments: number[] }[];
}

/** Expands run-length pairs `[value, count, ...]` into `length` cells; throws when the counts do not add up. */
export function decodeRuns(runs: readonly number[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const value = runs[i]!;
    const count = runs[i + 1]!;
    if (count < 0 || at + count > length) throw new Error("map layer is longer than the raster");
    out.fill(value, at, at + count);
    at += count;
  }
  if (at !== length) throw new Error(`map layer has ${at} cells, expected ${length}`);
  return out;
}

const pairs = (flat: readonly number[]): Point[] => {
  const pts: Point[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) pts.push({ x: flat[i]!, y: flat[i + 1]! });
  return pts;
};

export function restrictionPoints(r: MapJsonRestriction): Point[] {
  if (r.kind === "virtual_wall") {
    return [
      { x: r.x1, y: r.y1 },
      { x: r.x2, y: r.y2 },
    ];
  }
  return [
    { x: r.x1, y: r.y1 },
    { x: r.x2, y: r.y1 },
    { x: r.x2, y: r.y2 },
    { x: r.x1, y: r.y2 },
  ];
}

/** A map's rooms as a room list: ids with the names to show (the user's, else the robot's), in the user's order. */
export function mapJsonRooms(json: MapJson): { floor: string; rooms: Room[] } {
  const rooms = [...json.rooms]
    .sort((a, b) => a.order - b.order)
    .map((r) => ({ id: r.id, name: r.name, floor: json.floor, areaM2: r.areaM2 }));
  return { floor: json.floor, rooms };
}

/** A drawable model (with the version it is at) from Map JSON. */
export function mapJsonToModel(json: MapJson): MapModel & { version: number } {
  const length = json.width * json.height;
  const rooms: MapRoom[] = [...json.rooms]
    .sort((a, b) => a.order - b.order)
    .map((r) => ({ id: r.id, name: r.name, segment: r.segment, label: r.label, color: r.color }));
  const restrictions: MapRestriction[] = json.restrictions.map((r) => ({
    id: r.id,
    kind: r.kind,
    points: restrictionPoints(r),
  }));
  return {
    version: json.version,
    floor: json.floor,
    grid: {
      originX: json.originX,
      originY: json.originY,
      pixelMm: json.pixelMm,
      width: json.width,
      height: json.height,
      cells: decodeRuns(json.layers.cells, length),
      segments: decodeRuns(json.layers.segments, length),
    },
    rooms,
    restrictions,
    path: pairs(json.path),
    robot: json.robot,
    dock: json.dock,
  };
}

/**
 * Applies a live delta to a model at `delta.baseVersion`. Returns the updated model (a new object, so Lit sees
 * the change; the grid is new only when cells changed, so the canvas re-rasterises only then), or null when the
 * versions do not match and the whole map must be asked for again.
 */
export function applyDelta<M extends MapModel & { version: number }>(
  model: M,
  delta: MapDeltaJson,
): M | null {
  if (delta.floor !== model.floor || delta.baseVersion !== model.version) return null;
  let grid = model.grid;
  if (delta.cells.length > 0 && grid) {
    const cells = grid.cells.slice();
    const segments = grid.segments ? grid.segments.slice() : null;
    for (const run of delta.cells) {
      if (run.start < 0 || run.start + run.types.length > cells.length) return null;
      cells.set(run.types, run.start);
      segments?.set(run.segments, run.start);
    }
    grid = { ...grid, cells, segments };
  }
  const path = delta.pathReset ? pairs(delta.path) : [...model.path, ...pairs(delta.path)];
  return { ...model, version: delta.version, grid, robot: delta.robot ?? model.robot, path };
}

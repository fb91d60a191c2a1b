/**
 * The map as the HTTP and WebSocket APIs give it to clients (docs/api.md "Maps"): the robot's map with the
 * user's room settings on top, layers run-length coded so a 1000 x 1000 map stays small as JSON. The schemas
 * describe the responses (OpenAPI) and are what the dashboard codes against.
 */
import Type, { type Static } from "typebox";
import {
  type MapDelta,
  MapPoseSchema,
  type MapRoom,
  RestrictionSchema,
  type RobotMap,
} from "../../integrations/sweep/protocol/map-model.ts";

const Point = Type.Object({ x: Type.Number(), y: Type.Number() });

export const MapJsonRoomSchema = Type.Object({
  id: Type.String(),
  segment: Type.Integer(),
  name: Type.String(),
  robotName: Type.String(),
  color: Type.String({ pattern: "^#[0-9a-f]{6}$" }),
  order: Type.Integer(),
  areaM2: Type.Number(),
  label: Point,
});
export type MapJsonRoom = Static<typeof MapJsonRoomSchema>;

export const MapJsonSchema = Type.Object({
  robotId: Type.String(),
  floor: Type.String(),
  floors: Type.Array(Type.String()),
  currentFloor: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  updatedAt: Type.Number(),
  pixelMm: Type.Integer(),
  originX: Type.Number(),
  originY: Type.Number(),
  width: Type.Integer(),
  height: Type.Integer(),
  layers: Type.Object({
    encoding: Type.Literal("rle"),
    cells: Type.Array(Type.Integer(), {
      description: "[value, count, ...] over the raster, bottom row first",
    }),
    segments: Type.Array(Type.Integer(), { description: "[segment, count, ...], 0 = no room" }),
  }),
  rooms: Type.Array(MapJsonRoomSchema),
  restrictions: Type.Array(RestrictionSchema),
  dock: Type.Union([MapPoseSchema, Type.Null()]),
  robot: Type.Union([MapPoseSchema, Type.Null()]),
  path: Type.Array(Type.Number(), { description: "flat [x0, y0, x1, y1, ...] in mm" }),
});
export type MapJson = Static<typeof MapJsonSchema>;

export interface MapDeltaJson {
  floor: string;
  baseVersion: number;
  version: number;
  robot: { x: number; y: number; angle: number } | null;
  pathReset: boolean;
  path: number[];
  cells: { start: number; types: number[]; segments: number[] }[];
}

/** What the user set for a room; anything null falls back to the robot's name or a default. */
export interface RoomOverlay {
  name: string | null;
  color: string | null;
  order: number | null;
}

export function runLength(values: Uint8Array): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i];
    let j = i + 1;
    while (j < values.length && values[j] === v) j++;
    out.push(v, j - i);
    i = j;
  }
  return out;
}

export function unRunLength(runs: readonly number[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let i = 0;
  for (let k = 0; k + 1 < runs.length && i < length; k += 2) {
    out.fill(runs[k], i, Math.min(length, i + runs[k + 1]));
    i += runs[k + 1];
  }
  return out;
}

/** Distinct, light room colours (golden-angle hues) that keep dark text readable; `n` is the segment. */
export function defaultRoomColor(segment: number): string {
  const hue = ((segment - 1) * 137.508 + 200) % 360;
  const s = 0.62;
  const l = 0.8;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const hex = (v: number) =>
    Math.round(v * 255)
      .toString(16)
      .padStart(2, "0");
  return `#${hex(f(0))}${hex(f(8))}${hex(f(4))}`;
}

/**
 * A point inside each room for its name: the cell of the room nearest to the room's centroid (an L-shaped
 * room's centroid can lie outside it).
 */
export function roomLabels(map: RobotMap): Map<number, { x: number; y: number }> {
  const sums = new Map<number, { x: number; y: number; n: number }>();
  const { width, segments } = map;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (!s) continue;
    const e = sums.get(s) ?? { x: 0, y: 0, n: 0 };
    e.x += i % width;
    e.y += Math.floor(i / width);
    e.n++;
    sums.set(s, e);
  }
  const best = new Map<number, { i: number; d: number }>();
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    const e = s ? sums.get(s) : undefined;
    if (!e) continue;
    const d = ((i % width) - e.x / e.n) ** 2 + (Math.floor(i / width) - e.y / e.n) ** 2;
    const b = best.get(s);
    if (!b || d < b.d) best.set(s, { i, d });
  }
  const out = new Map<number, { x: number; y: number }>();
  for (const [s, { i }] of best) {
    out.set(s, {
      x: Math.round(map.originX + ((i % width) + 0.5) * map.pixelMm),
      y: Math.round(map.originY + (Math.floor(i / width) + 0.5) * map.pixelMm),
    });
  }
  return out;
}

/** The rooms as clients see them: user settings over the robot's names, sorted by order. */
export function jsonRooms(
  map: RobotMap,
  overlay: (room: MapRoom) => RoomOverlay | undefined,
  labels: Map<number, { x: number; y: number }>,
): MapJsonRoom[] {
  const rooms = map.rooms.map((room, index) => {
    const o = overlay(room);
    return {
      id: room.id,
      segment: room.segment,
      name: o?.name ?? room.name,
      robotName: room.name,
      color: o?.color ?? defaultRoomColor(room.segment),
      order: o?.order ?? index,
      areaM2: room.areaM2,
      label: labels.get(room.segment) ?? { x: map.originX, y: map.originY },
    };
  });
  return rooms.sort((a, b) => a.order - b.order || a.segment - b.segment);
}

export function toMapJson(
  map: RobotMap,
  extra: {
    robotId: string;
    floors: string[];
    currentFloor: string | null;
    updatedAt: number;
    rooms: MapJsonRoom[];
  },
): MapJson {
  return {
    robotId: extra.robotId,
    floor: map.floor,
    floors: extra.floors,
    currentFloor: extra.currentFloor,
    version: map.version,
    updatedAt: extra.updatedAt,
    pixelMm: map.pixelMm,
    originX: map.originX,
    originY: map.originY,
    width: map.width,
    height: map.height,
    layers: { encoding: "rle", cells: runLength(map.cells), segments: runLength(map.segments) },
    rooms: extra.rooms,
    restrictions: map.restrictions,
    dock: map.dock,
    robot: map.robot,
    path: map.path.flatMap((p) => [p.x, p.y]),
  };
}

export function toDeltaJson(delta: MapDelta): MapDeltaJson {
  return {
    floor: delta.floor,
    baseVersion: delta.baseVersion,
    version: delta.version,
    robot: delta.robot,
    pathReset: delta.pathReset,
    path: delta.path.flatMap((p) => [p.x, p.y]),
    cells: delta.cells.map((c) => ({ start: c.start, types: [...c.types], segments: [...c.segments] })),
  };
}

/**
 * Import and export of Valetudo's map JSON (ValetudoMap v2; real examples in test/fixtures/valetudo/), so maps
 * move between sweephub and Valetudo and the Valetudo integration can reuse the conversion. Valetudo works in
 * centimetres with y pointing down and one layer per kind (floor, wall, each segment), each as row runs
 * `[xStart, y, count]`; sweephub works in millimetres with y up and one raster. Obstacle cells have no layer
 * in Valetudo and are exported as walls; angles flip with the y axis.
 */
import Type, { type Static } from "typebox";
import { schemaIssues, validatorFor } from "../../integrations/sweep/protocol/envelope.ts";
import {
  MAX_MAP_CELLS,
  MAX_MAP_SIDE,
  MAX_RESTRICTIONS,
  MAX_SEGMENTS,
  MapCell,
  type MapPose,
  type Restriction,
  type RobotMap,
} from "../../integrations/sweep/protocol/map-model.ts";
import { HubError } from "../core/errors.ts";
import type { MapJsonRoom } from "./map-json.ts";

const Numbers = (maxItems: number) => Type.Array(Type.Number(), { maxItems });
const LayerSchema = Type.Object({
  type: Type.Enum(["floor", "wall", "segment"] as const),
  compressedPixels: Type.Optional(Numbers(3 * MAX_MAP_CELLS)),
  pixels: Type.Optional(Numbers(2 * MAX_MAP_CELLS)),
  metaData: Type.Optional(Type.Object({}, { additionalProperties: true })),
});
const EntitySchema = Type.Object({
  type: Type.String({ maxLength: 64 }),
  points: Numbers(400_000),
  metaData: Type.Optional(Type.Object({}, { additionalProperties: true })),
});
export const ValetudoMapSchema = Type.Object({
  __class: Type.Optional(Type.Literal("ValetudoMap")),
  pixelSize: Type.Integer({ minimum: 1, maximum: 100 }),
  size: Type.Object({ x: Type.Number({ minimum: 1 }), y: Type.Number({ minimum: 1 }) }),
  layers: Type.Array(LayerSchema, { maxItems: 256 }),
  entities: Type.Array(EntitySchema, { maxItems: 5_000 }),
  metaData: Type.Optional(Type.Object({}, { additionalProperties: true })),
});
export type ValetudoMap = Static<typeof ValetudoMapSchema>;
type Layer = Static<typeof LayerSchema>;

const invalid = (message: string, details?: Record<string, unknown>) =>
  new HubError("invalid_request", `Not a usable Valetudo map: ${message}`, details);

// ---- export ----------------------------------------------------------------------------------------------

export function toValetudoMap(map: RobotMap, rooms: readonly MapJsonRoom[]): ValetudoMap {
  if (map.pixelMm % 10 !== 0) throw invalid(`the pixel size (${map.pixelMm} mm) is not whole centimetres`);
  const ps = map.pixelMm / 10;
  // Valetudo's y axis points down from the top edge of `size`: the raster's top row is pixel row 0 and
  // size.y is where map y = 0 lies. x is kept as is, shifted only for a map reaching below x = 0 (Valetudo's
  // pixel coordinates cannot be negative).
  const offX = Math.max(0, Math.floor(map.originX / map.pixelMm));
  const shiftX = map.originX - offX * map.pixelMm;
  const size = { x: (offX + map.width) * ps, y: Math.round(map.originY / 10 + map.height * ps) };
  const toX = (x: number) => Math.round((x - shiftX) / 10);
  const toY = (y: number) => Math.round(size.y - y / 10);
  const angleOut = (a: number) => Math.round((360 - a) % 360);

  const layerOf = (i: number): string | null => {
    const t = map.cells[i];
    if (t === MapCell.wall || t === MapCell.obstacle) return "wall";
    if (t !== MapCell.floor) return null;
    return map.segments[i] ? `segment:${map.segments[i]}` : "floor";
  };
  const runs = new Map<string, number[]>();
  for (let row = map.height - 1; row >= 0; row--) {
    const py = map.height - 1 - row;
    let col = 0;
    while (col < map.width) {
      const key = layerOf(row * map.width + col);
      let end = col + 1;
      while (end < map.width && layerOf(row * map.width + end) === key) end++;
      if (key) {
        const list = runs.get(key) ?? [];
        runs.set(key, list);
        list.push(offX + col, py, end - col);
      }
      col = end;
    }
  }
  const layer = (type: Layer["type"], compressed: number[], meta: Record<string, unknown>) => {
    const dims = dimensions(compressed);
    return {
      __class: "MapLayer",
      type,
      pixels: [],
      compressedPixels: compressed,
      metaData: { ...meta, area: dims.pixelCount * ps * ps },
      dimensions: dims,
    };
  };
  const layers = [];
  if (runs.has("floor")) layers.push(layer("floor", runs.get("floor")!, {}));
  if (runs.has("wall")) layers.push(layer("wall", runs.get("wall")!, {}));
  for (const room of map.rooms) {
    const compressed = runs.get(`segment:${room.segment}`);
    if (!compressed) continue;
    const name = rooms.find((r) => r.id === room.id)?.name ?? room.name;
    layers.push(
      layer("segment", compressed, { segmentId: room.id, active: false, name, source: "sweephub" }),
    );
  }
  const point = (type: string, p: MapPose) => ({
    __class: "PointMapEntity",
    type,
    points: [toX(p.x), toY(p.y)],
    metaData: { angle: angleOut(p.angle) },
  });
  const entities: ValetudoMap["entities"] = [];
  if (map.dock) entities.push(point("charger_location", map.dock));
  if (map.robot) entities.push(point("robot_position", map.robot));
  if (map.path.length > 0) {
    entities.push({
      __class: "PathMapEntity",
      type: "path",
      points: map.path.flatMap((p) => [toX(p.x), toY(p.y)]),
      metaData: {},
    } as ValetudoMap["entities"][number]);
  }
  for (const r of map.restrictions) {
    const [x1, y1, x2, y2] = [toX(r.x1), toY(r.y1), toX(r.x2), toY(r.y2)];
    entities.push(
      r.kind === "virtual_wall"
        ? ({
            __class: "LineMapEntity",
            type: "virtual_wall",
            points: [x1, y1, x2, y2],
            metaData: {},
          } as never)
        : ({
            __class: "PolygonMapEntity",
            type: r.kind === "no_go" ? "no_go_area" : "no_mop_area",
            points: [x1, y1, x2, y1, x2, y2, x1, y2],
            metaData: {},
          } as never),
    );
  }
  const totalLayerArea = layers.reduce((a, l) => a + (l.metaData.area as number), 0);
  return {
    __class: "ValetudoMap",
    metaData: { version: 2, totalLayerArea },
    size,
    pixelSize: ps,
    layers,
    entities,
  } as ValetudoMap;
}

function dimensions(compressed: number[]) {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  let sumX = 0;
  let sumY = 0;
  let n = 0;
  for (let k = 0; k + 2 < compressed.length; k += 3) {
    const [x, y, count] = [compressed[k], compressed[k + 1], compressed[k + 2]];
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x + count - 1);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
    sumX += count * x + (count * (count - 1)) / 2;
    sumY += count * y;
    n += count;
  }
  const stats = (min: number, max: number, sum: number) => ({
    min,
    max,
    mid: Math.round((min + max) / 2),
    avg: Math.round(sum / Math.max(1, n)),
  });
  return { x: stats(minX, maxX, sumX), y: stats(minY, maxY, sumY), pixelCount: n };
}

// ---- import ----------------------------------------------------------------------------------------------

/** Runs of a layer as [x, y, count] triples, from `compressedPixels` or the older `pixels` [x, y, ...] list. */
function layerRuns(layer: Layer): number[] {
  if (layer.compressedPixels && layer.compressedPixels.length > 0) {
    if (layer.compressedPixels.length % 3 !== 0)
      throw invalid("compressedPixels must hold [x, y, count] triples");
    return layer.compressedPixels;
  }
  const px = layer.pixels ?? [];
  if (px.length % 2 !== 0) throw invalid("pixels must hold [x, y] pairs");
  const out: number[] = [];
  for (let k = 0; k < px.length; k += 2) out.push(px[k], px[k + 1], 1);
  return out;
}

export function fromValetudoMap(input: unknown, floor = "main"): RobotMap {
  if (!validatorFor(ValetudoMapSchema).Check(input)) {
    const issues = schemaIssues(ValetudoMapSchema, input);
    throw invalid(issues[0] ? `${issues[0].path} ${issues[0].message}` : "wrong shape", { issues });
  }
  const v = input as ValetudoMap;
  const ps = v.pixelSize;
  const segmentLayers = v.layers.filter((l) => l.type === "segment");
  if (segmentLayers.length > MAX_SEGMENTS) throw invalid(`more than ${MAX_SEGMENTS} segments`);
  const all = v.layers.map((l) => ({ layer: l, runs: layerRuns(l) }));
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const { runs } of all) {
    for (let k = 0; k < runs.length; k += 3) {
      const [x, y, n] = [runs[k], runs[k + 1], runs[k + 2]];
      if (![x, y, n].every(Number.isInteger) || x < 0 || y < 0 || n < 1)
        throw invalid("pixel runs must be whole, non-negative");
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x + n - 1);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  if (minX === Infinity) throw invalid("the map has no pixels");
  const width = maxX - minX + 1;
  const height = maxY - minY + 1;
  if (width > MAX_MAP_SIDE || height > MAX_MAP_SIDE || width * height > MAX_MAP_CELLS) {
    throw invalid(`the map is larger than ${MAX_MAP_SIDE} x ${MAX_MAP_SIDE} pixels`);
  }
  const cells = new Uint8Array(width * height);
  const segments = new Uint8Array(width * height);
  const rooms: RobotMap["rooms"] = [];
  const ids = new Set<string>();
  for (const { layer, runs } of all) {
    let type: number = MapCell.floor;
    let segment = 0;
    if (layer.type === "wall") type = MapCell.wall;
    if (layer.type === "segment") {
      segment = rooms.length + 1;
      const meta = (layer.metaData ?? {}) as Record<string, unknown>;
      const rawId = String(meta.segmentId ?? segment);
      let id = rawId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64) || String(segment);
      while (ids.has(id)) id = `${id}_`;
      ids.add(id);
      const name =
        typeof meta.name === "string" && meta.name.trim() ? meta.name.slice(0, 100) : `Room ${rawId}`;
      rooms.push({ id, name, segment, areaM2: 0 });
    }
    for (let k = 0; k < runs.length; k += 3) {
      const row = maxY - runs[k + 1];
      const start = row * width + (runs[k] - minX);
      cells.fill(type, start, start + runs[k + 2]);
      segments.fill(segment, start, start + runs[k + 2]);
    }
  }
  // Areas from the raster: where layers overlap (some firmwares send a pixel in two layers) the later wins.
  const counts = new Array<number>(rooms.length + 1).fill(0);
  for (const seg of segments) counts[seg]++;
  for (const room of rooms) room.areaM2 = Math.round(counts[room.segment] * ps * ps) / 10_000;
  const pixelMm = ps * 10;
  const toMmX = (x: number) => x * 10;
  const toMmY = (y: number) => (v.size.y - y) * 10;
  const angleIn = (a: unknown) =>
    typeof a === "number" && Number.isFinite(a) ? (((360 - a) % 360) + 360) % 360 : 0;
  const pose = (type: string): MapPose | null => {
    const e = v.entities.find((x) => x.type === type && x.points.length >= 2);
    return e
      ? {
          x: toMmX(e.points[0]),
          y: toMmY(e.points[1]),
          angle: angleIn((e.metaData as Record<string, unknown> | undefined)?.angle),
        }
      : null;
  };
  const path: RobotMap["path"] = [];
  for (const e of v.entities.filter((x) => x.type === "path")) {
    for (let k = 0; k + 1 < e.points.length; k += 2)
      path.push({ x: toMmX(e.points[k]), y: toMmY(e.points[k + 1]) });
  }
  const restrictions: Restriction[] = [];
  const kinds: Record<string, Restriction["kind"]> = {
    no_go_area: "no_go",
    no_mop_area: "no_mop",
    virtual_wall: "virtual_wall",
  };
  for (const e of v.entities) {
    const kind = kinds[e.type];
    if (!kind || e.points.length < 4) continue;
    const xs = e.points.filter((_, k) => k % 2 === 0).map(toMmX);
    const ys = e.points.filter((_, k) => k % 2 === 1).map(toMmY);
    const r =
      kind === "virtual_wall"
        ? { x1: xs[0], y1: ys[0], x2: xs[1], y2: ys[1] }
        : { x1: Math.min(...xs), y1: Math.min(...ys), x2: Math.max(...xs), y2: Math.max(...ys) };
    restrictions.push({ id: `${kind}-${restrictions.length + 1}`, kind, ...r });
  }
  if (restrictions.length > MAX_RESTRICTIONS) throw invalid(`more than ${MAX_RESTRICTIONS} restrictions`);
  return {
    floor,
    version: 1,
    pixelMm,
    originX: minX * pixelMm,
    originY: (v.size.y - (maxY + 1) * ps) * 10,
    width,
    height,
    cells,
    segments,
    rooms,
    restrictions,
    dock: pose("charger_location"),
    robot: pose("robot_position"),
    path,
  };
}

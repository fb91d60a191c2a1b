/**
 * The map model of the Sweep Local Protocol (docs/protocol.md "Maps"): one map per floor with an occupancy
 * raster (unknown, floor, wall, obstacle), a segment (room) per cell, the rooms' metadata, restrictions, the
 * dock, the robot's pose and the path of the current cleaning session. Maps travel as binary frames
 * (map-frame.ts); the schemas here describe the parts carried as JSON (the frame's metadata block and the
 * editing requests), so robots and hubs validate them the same way.
 */
import Type, { type Static } from "typebox";

/** Cell types of the occupancy layer (2 bits of a map pixel). */
export const MapCell = { unknown: 0, floor: 1, wall: 2, obstacle: 3 } as const;
export type MapCellValue = (typeof MapCell)[keyof typeof MapCell];

/** Segments are numbered 1..MAX_SEGMENTS (6 bits of a map pixel); 0 = no segment. */
export const MAX_SEGMENTS = 63;
/** A map may have at most this many restrictions (no-go, no-mop areas and virtual walls together). */
export const MAX_RESTRICTIONS = 50;
/** Largest raster side and cell count a map may have (a 100 m x 100 m floor at 25 mm). */
export const MAX_MAP_SIDE = 4096;
export const MAX_MAP_CELLS = 4096 * 4096;

export const RESTRICTION_KINDS = ["no_go", "no_mop", "virtual_wall"] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];

const Mm = Type.Number({ minimum: -1e7, maximum: 1e7, description: "millimetres, map frame" });
const RoomId = Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" });
const FloorId = Type.String({ minLength: 1, maxLength: 64 });

export const RestrictionSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._-]+$" }),
    kind: Type.Enum(RESTRICTION_KINDS),
    x1: Mm,
    y1: Mm,
    x2: Mm,
    y2: Mm,
  },
  {
    additionalProperties: false,
    description:
      "no_go / no_mop: axis-aligned rectangle with corners (x1, y1) and (x2, y2); virtual_wall: the line from (x1, y1) to (x2, y2)",
  },
);
export type Restriction = Static<typeof RestrictionSchema>;

export const MapRoomSchema = Type.Object(
  {
    id: RoomId,
    name: Type.String({ maxLength: 100 }),
    /** The number this room's cells carry in the segment layer. */
    segment: Type.Integer({ minimum: 1, maximum: MAX_SEGMENTS }),
    areaM2: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type MapRoom = Static<typeof MapRoomSchema>;

export const MapPoseSchema = Type.Object(
  {
    x: Mm,
    y: Mm,
    angle: Type.Number({ minimum: 0, maximum: 360, description: "degrees, 0 = +x, counter-clockwise" }),
  },
  { additionalProperties: false },
);
export type MapPose = Static<typeof MapPoseSchema>;

/** The JSON block of a full frame: what is not a raster, a pose or a path. */
export const MapMetaSchema = Type.Object(
  {
    rooms: Type.Array(MapRoomSchema, { maxItems: MAX_SEGMENTS }),
    restrictions: Type.Array(RestrictionSchema, { maxItems: MAX_RESTRICTIONS }),
    dock: Type.Union([MapPoseSchema, Type.Null()]),
  },
  { additionalProperties: false },
);
export type MapMeta = Static<typeof MapMetaSchema>;

/** A whole map of one floor, decoded. */
export interface RobotMap {
  floor: string;
  /** Increases by one with every change the robot makes (full or delta frame); deltas name their base. */
  version: number;
  pixelMm: number;
  /** Map coordinates (mm) of the lower-left corner of cell (0, 0); rows go up (+y). */
  originX: number;
  originY: number;
  width: number;
  height: number;
  /** MapCell per cell, row-major from the bottom row. */
  cells: Uint8Array;
  /** Segment number per cell (0 = none); `rooms[].segment` names them. */
  segments: Uint8Array;
  rooms: MapRoom[];
  restrictions: Restriction[];
  dock: MapPose | null;
  robot: MapPose | null;
  /** Where the robot drove during the current (or last) cleaning session, mm, oldest first. */
  path: { x: number; y: number }[];
}

/** What changed since `baseVersion`: the pose, new path points and cells that became known or changed. */
export interface MapDelta {
  floor: string;
  baseVersion: number;
  version: number;
  robot: MapPose | null;
  /** True when a new session started: the path restarts with `path`. */
  pathReset: boolean;
  path: { x: number; y: number }[];
  /** Runs of consecutive cells (raster index `start`), with their new types and segments. */
  cells: { start: number; types: Uint8Array; segments: Uint8Array }[];
}

/** Map pixel: cell type in bits 0-1, segment in bits 2-7 (docs/protocol.md "Map pixels"). */
export const packPixel = (type: number, segment: number): number => (type & 3) | ((segment & 63) << 2);

export const MAP_REQUEST_FLOOR = Type.Optional(FloorId);
export { FloorId as MapFloorIdSchema, RoomId as MapRoomIdSchema };

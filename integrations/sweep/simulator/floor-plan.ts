/**
 * The data model of a simulated home: floors made of rooms (unions of rectangles), door openings and
 * furniture, in millimetres. It is deliberately close to what a robot's map carries (segments with ids and
 * names, a dock pose) so the later maps feature can reuse it. Walls are not listed: they are derived from
 * room boundaries when the floor is rasterised (occupancy-grid.ts), so rooms and walls can never disagree.
 */

/** Axis-aligned rectangle in millimetres, map frame (x to the right, y up), x1 < x2 and y1 < y2. */
export interface Rect {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A pose in the map frame: angle in degrees, 0 = +x, counter-clockwise. */
export interface PlanPose extends Point {
  angle: number;
}

export interface RoomDef {
  /** Stable id (the protocol's room id); unique within a plan, across its floors. */
  id: string;
  name: string;
  /** The room's footprint; overlapping rectangles are fine, the first room containing a point wins. */
  rects: Rect[];
}

export interface FurnitureDef {
  /** What it is ("sofa", "table_leg", ...); a map can draw it, the robot only sees an obstacle. */
  kind: string;
  rect: Rect;
}

export interface FloorDef {
  id: string;
  name: string;
  rooms: RoomDef[];
  /**
   * Openings in the walls between two rooms. A rectangle straddling a shared boundary removes the wall
   * there; a wide one makes an open-plan boundary. Outer walls are never opened.
   */
  doors: Rect[];
  furniture: FurnitureDef[];
  /** Where the charging dock stands (the robot's pose when docked), or null when the floor has none. */
  dock: PlanPose | null;
  /** Where a robot carried to this floor is put down when the floor has no dock (top of the stairs). */
  arrival: PlanPose;
}

export const FLOOR_PLAN_IDS = ["apartment", "house", "loft"] as const;
export type FloorPlanId = (typeof FLOOR_PLAN_IDS)[number];

export interface FloorPlan {
  id: FloorPlanId;
  name: string;
  floors: FloorDef[];
}

/** Walls are this thick, centred on the boundary between two rooms (or a room and the outside). */
export const WALL_THICKNESS_MM = 100;

export const rect = (x1: number, y1: number, x2: number, y2: number): Rect => ({ x1, y1, x2, y2 });

export const rectContains = (r: Rect, x: number, y: number): boolean =>
  x >= r.x1 && x < r.x2 && y >= r.y1 && y < r.y2;

/** A table or chair seen by a robot: four small legs at the corners, open floor underneath. */
export function legs(kind: string, r: Rect, legMm = 50): FurnitureDef[] {
  return [
    { kind, rect: rect(r.x1, r.y1, r.x1 + legMm, r.y1 + legMm) },
    { kind, rect: rect(r.x2 - legMm, r.y1, r.x2, r.y1 + legMm) },
    { kind, rect: rect(r.x1, r.y2 - legMm, r.x1 + legMm, r.y2) },
    { kind, rect: rect(r.x2 - legMm, r.y2 - legMm, r.x2, r.y2) },
  ];
}

export const block = (kind: string, x1: number, y1: number, x2: number, y2: number): FurnitureDef => ({
  kind,
  rect: rect(x1, y1, x2, y2),
});

/** Index of the room whose rectangles contain the point, or -1 outside the home. */
export function roomIndexAt(floor: FloorDef, x: number, y: number): number {
  for (let i = 0; i < floor.rooms.length; i++) {
    for (const r of floor.rooms[i].rects) if (rectContains(r, x, y)) return i;
  }
  return -1;
}

/** Bounding box of all rooms of a floor. */
export function floorBounds(floor: FloorDef): Rect {
  const b = rect(Infinity, Infinity, -Infinity, -Infinity);
  for (const room of floor.rooms) {
    for (const r of room.rects) {
      b.x1 = Math.min(b.x1, r.x1);
      b.y1 = Math.min(b.y1, r.y1);
      b.x2 = Math.max(b.x2, r.x2);
      b.y2 = Math.max(b.y2, r.y2);
    }
  }
  return b;
}

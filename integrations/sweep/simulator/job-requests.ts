/**
 * Checks what a caller asks for against the current floor's map and turns it into planner input. Every
 * refusal is an `invalid_payload` ProtocolError whose message says what to fix.
 */
import { ProtocolError } from "../protocol/errors.ts";
import type { Zone } from "../protocol/robot-state.ts";
import type { FloorMap } from "./floor-maps.ts";
import { type Point, type Rect, rectContains } from "./floor-plan.ts";
import { regionReachable, roomRegion, zoneRegion } from "./job-planner.ts";
import { CellType, cellCenter, cellIndexAt } from "./occupancy-grid.ts";

/** Limits the simulator advertises in its capabilities (typical of current robots). */
export const MAX_ROOM_REPEATS = 3;
export const MAX_ZONES = 5;
export const MAX_ZONE_REPEATS = 3;
/** A goto target this close to a wall or furniture is moved to the nearest spot the robot fits. */
export const GOTO_SNAP_MM = 250;

const checkRepeats = (repeats: unknown, max: number, what: string): number => {
  if (repeats === undefined) return 1;
  if (typeof repeats !== "number" || !Number.isInteger(repeats) || repeats < 1 || repeats > max) {
    throw new ProtocolError("invalid_payload", `${what} repeats must be a whole number from 1 to ${max}.`, {
      repeats,
    });
  }
  return repeats;
};

/** Room indices in cleaning order, repeats expanded. */
export function resolveRooms(
  map: FloorMap,
  rooms: { id: string; repeats?: number }[],
  from: Point,
): number[] {
  if (!Array.isArray(rooms) || rooms.length === 0) {
    throw new ProtocolError("invalid_payload", "Give at least one room to clean.");
  }
  const { grid } = map.nav;
  const order: number[] = [];
  for (const request of rooms) {
    const index = grid.rooms.findIndex((r) => r.id === request?.id);
    if (index < 0) {
      throw new ProtocolError(
        "invalid_payload",
        `Unknown room "${String(request?.id)}" on floor "${map.def.id}". Known rooms: ${grid.rooms.map((r) => r.id).join(", ")}.`,
        { room: request?.id ?? null, floor: map.def.id },
      );
    }
    const repeats = checkRepeats(request.repeats, MAX_ROOM_REPEATS, `Room "${request.id}"`);
    for (let n = 0; n < repeats; n++) order.push(index);
  }
  for (const index of new Set(order)) {
    if (!regionReachable(map.nav, roomRegion(grid, index), from)) {
      const id = grid.rooms[index].id;
      throw new ProtocolError("invalid_payload", `Room "${id}" cannot be reached from where the robot is.`, {
        room: id,
      });
    }
  }
  return order;
}

/** Normalised zones (x1 < x2, y1 < y2) after checking count, numbers, and that each covers reachable floor. */
export function resolveZones(
  map: FloorMap,
  zones: Zone[],
  repeats: unknown,
  from: Point,
): { zones: Rect[]; repeats: number } {
  if (!Array.isArray(zones) || zones.length === 0 || zones.length > MAX_ZONES) {
    throw new ProtocolError("invalid_payload", `Give 1 to ${MAX_ZONES} zones.`, {
      count: zones?.length ?? 0,
    });
  }
  const times = checkRepeats(repeats, MAX_ZONE_REPEATS, "Zone");
  const out = zones.map((z, k) => {
    if (![z?.x1, z?.y1, z?.x2, z?.y2].every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new ProtocolError(
        "invalid_payload",
        `Zone ${k + 1} needs numeric x1, y1, x2, y2 (millimetres).`,
        {
          zone: k,
        },
      );
    }
    const r: Rect = {
      x1: Math.min(z.x1, z.x2),
      y1: Math.min(z.y1, z.y2),
      x2: Math.max(z.x1, z.x2),
      y2: Math.max(z.y1, z.y2),
    };
    const region = zoneRegion(map.nav.grid, r);
    if (!region.includes(1)) {
      throw new ProtocolError(
        "invalid_payload",
        `Zone ${k + 1} lies outside the map of floor "${map.def.id}".`,
        {
          zone: k,
        },
      );
    }
    if (!regionReachable(map.nav, region, from)) {
      throw new ProtocolError(
        "invalid_payload",
        `Zone ${k + 1} has no floor the robot can reach (too small, under furniture or walled in).`,
        { zone: k },
      );
    }
    return r;
  });
  return { zones: out, repeats: times };
}

/** The point the robot drives to for a goto, or a clear refusal. */
export function resolveGotoTarget(map: FloorMap, x: number, y: number, from: Point): Point {
  if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) {
    throw new ProtocolError("invalid_payload", "Goto needs numeric x and y (millimetres).");
  }
  const { nav } = map;
  const at = `(${Math.round(x)}, ${Math.round(y)})`;
  const cell = cellIndexAt(nav.grid, x, y);
  const type = cell < 0 ? CellType.outside : nav.grid.cells[cell];
  if (type === CellType.outside) {
    throw new ProtocolError("invalid_payload", `Target ${at} is outside the map of floor "${map.def.id}".`, {
      x,
      y,
    });
  }
  if (type === CellType.wall) {
    throw new ProtocolError("invalid_payload", `Target ${at} is inside a wall.`, { x, y });
  }
  if (type === CellType.obstacle) {
    const item = map.def.furniture.find((f) => rectContains(f.rect, x, y));
    const kind = item ? item.kind.replaceAll("_", " ") : "furniture";
    throw new ProtocolError("invalid_payload", `Target ${at} is inside an obstacle (${kind}).`, { x, y });
  }
  const nearest = nav.free[cell] ? cell : nav.nearestFreeCell(x, y, GOTO_SNAP_MM);
  if (nearest < 0) {
    throw new ProtocolError(
      "invalid_payload",
      `Target ${at} is too close to walls or furniture for the robot to fit.`,
      {
        x,
        y,
      },
    );
  }
  if (nav.component[nearest] !== nav.componentAt(from.x, from.y)) {
    throw new ProtocolError(
      "invalid_payload",
      `Target ${at} cannot be reached from where the robot is (it is walled in by walls or furniture).`,
      { x, y },
    );
  }
  return nav.free[cell] ? { x, y } : cellCenter(nav.grid, nearest);
}

/**
 * Editing a floor's segmentation the way robot apps do: rename a room, merge two neighbouring rooms, split a
 * room along a line. The grid's room index is changed in place, so planning, coverage credit, `rooms.list` and
 * the map all follow the edit at once. Refusals are `invalid_payload` errors that say what to fix.
 */
import { ProtocolError } from "../protocol/errors.ts";
import { MAX_SEGMENTS } from "../protocol/map-model.ts";
import type { FloorDef } from "./floor-plan.ts";
import { CellType, cellAreaM2, cellCenter, type OccupancyGrid, rasteriseFloor } from "./occupancy-grid.ts";

const isRoomCell = (grid: OccupancyGrid, i: number) =>
  grid.cells[i] === CellType.floor || grid.cells[i] === CellType.obstacle;

export function roomIndexOf(grid: OccupancyGrid, roomId: string, floorId: string): number {
  const index = grid.rooms.findIndex((r) => r.id === roomId);
  if (index < 0) {
    throw new ProtocolError(
      "invalid_payload",
      `Unknown room "${roomId}" on floor "${floorId}". Known rooms: ${grid.rooms.map((r) => r.id).join(", ")}.`,
      { room: roomId, floor: floorId },
    );
  }
  return index;
}

/** Recomputes every room's area (floor and furniture cells) after an edit. */
export function recomputeAreas(grid: OccupancyGrid): void {
  const counts = new Array<number>(grid.rooms.length).fill(0);
  for (let i = 0; i < grid.cells.length; i++) {
    if (isRoomCell(grid, i) && grid.roomIndex[i] >= 0) counts[grid.roomIndex[i]]++;
  }
  const area = cellAreaM2(grid);
  grid.rooms.forEach((room, index) => {
    room.index = index;
    room.areaM2 = Math.round(counts[index] * area * 100) / 100;
  });
}

export function renameRoom(grid: OccupancyGrid, floorId: string, roomId: string, name: string): void {
  const trimmed = name.trim();
  if (!trimmed) throw new ProtocolError("invalid_payload", "A room name cannot be empty.");
  grid.rooms[roomIndexOf(grid, roomId, floorId)].name = trimmed;
}

/** Whether some cell of room `a` touches a cell of room `b` (4-neighbourhood, through doors). */
function touches(grid: OccupancyGrid, a: number, b: number): boolean {
  const { width, height, roomIndex } = grid;
  for (let i = 0; i < roomIndex.length; i++) {
    if (roomIndex[i] !== a || !isRoomCell(grid, i)) continue;
    const col = i % width;
    const row = (i - col) / width;
    const near = [
      col > 0 ? i - 1 : -1,
      col < width - 1 ? i + 1 : -1,
      row > 0 ? i - width : -1,
      row < height - 1 ? i + width : -1,
    ];
    for (const j of near) if (j >= 0 && roomIndex[j] === b && isRoomCell(grid, j)) return true;
  }
  return false;
}

/** Room `b` joins room `a`; `a` keeps its id and name. Returns a's id. */
export function mergeRooms(grid: OccupancyGrid, floorId: string, aId: string, bId: string): string {
  const a = roomIndexOf(grid, aId, floorId);
  const b = roomIndexOf(grid, bId, floorId);
  if (a === b) throw new ProtocolError("invalid_payload", "Choose two different rooms to merge.");
  if (!touches(grid, a, b)) {
    throw new ProtocolError(
      "invalid_payload",
      `Rooms "${aId}" and "${bId}" do not touch; only neighbours merge.`,
      {
        rooms: [aId, bId],
      },
    );
  }
  const { roomIndex } = grid;
  for (let i = 0; i < roomIndex.length; i++) {
    if (roomIndex[i] === b) roomIndex[i] = a;
    if (roomIndex[i] > b) roomIndex[i]--;
  }
  grid.rooms.splice(b, 1);
  recomputeAreas(grid);
  return aId;
}

/**
 * Splits a room along the (infinite) line through (x1, y1)-(x2, y2): cells left of the line (seen from its
 * start towards its end) keep the room, the others form a new room. Returns the new room's id.
 */
export function splitRoom(
  grid: OccupancyGrid,
  floorId: string,
  roomId: string,
  line: { x1: number; y1: number; x2: number; y2: number },
): string {
  const index = roomIndexOf(grid, roomId, floorId);
  if (grid.rooms.length >= MAX_SEGMENTS) {
    throw new ProtocolError("invalid_payload", `A floor can have at most ${MAX_SEGMENTS} rooms.`);
  }
  const dx = line.x2 - line.x1;
  const dy = line.y2 - line.y1;
  if (Math.hypot(dx, dy) < grid.resolutionMm) {
    throw new ProtocolError("invalid_payload", "The split line is too short; draw it across the room.");
  }
  const right: number[] = [];
  let left = 0;
  for (let i = 0; i < grid.roomIndex.length; i++) {
    if (grid.roomIndex[i] !== index) continue;
    const p = cellCenter(grid, i);
    const side = dx * (p.y - line.y1) - dy * (p.x - line.x1);
    if (side >= 0) {
      if (isRoomCell(grid, i)) left++;
    } else right.push(i);
  }
  const rightFloor = right.filter((i) => isRoomCell(grid, i)).length;
  if (left === 0 || rightFloor === 0) {
    throw new ProtocolError(
      "invalid_payload",
      `The line does not divide room "${roomId}"; draw it across the room.`,
      {
        room: roomId,
      },
    );
  }
  const room = grid.rooms[index];
  const newId = uniqueId(grid, `${room.id}_2`);
  const newIndex = grid.rooms.length;
  grid.rooms.push({ index: newIndex, id: newId, name: `${room.name} 2`, areaM2: 0 });
  for (const i of right) grid.roomIndex[i] = newIndex;
  recomputeAreas(grid);
  return newId;
}

function uniqueId(grid: OccupancyGrid, wanted: string): string {
  const taken = new Set(grid.rooms.map((r) => r.id));
  if (!taken.has(wanted)) return wanted;
  for (let n = 3; ; n++) {
    const id = wanted.replace(/_2$/, `_${n}`);
    if (!taken.has(id)) return id;
  }
}

/**
 * Segments the floor again from scratch, as a robot does after its map was reset: the same rooms, but new ids
 * and generic names ("Room 1"...). Hubs recognise the rooms by overlap and keep what users named them.
 */
export function resegment(grid: OccupancyGrid, def: FloorDef, idPrefix: string): void {
  const fresh = rasteriseFloor(def, grid.resolutionMm);
  grid.roomIndex.set(fresh.roomIndex);
  grid.rooms.length = 0;
  fresh.rooms.forEach((r, index) => {
    grid.rooms.push({ index, id: `${idPrefix}${index + 1}`, name: `Room ${index + 1}`, areaM2: r.areaM2 });
  });
}

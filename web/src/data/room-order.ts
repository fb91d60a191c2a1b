/**
 * The ordered room selection of the robot page (tap rooms in the order they should be cleaned; tapping a
 * selected room removes it), and the user's order of the rooms themselves. Pure helpers, unit-tested.
 */
export interface RoomPick {
  id: string;
  repeats: number;
}

export function toggleRoom(order: readonly RoomPick[], id: string): RoomPick[] {
  return order.some((r) => r.id === id) ? order.filter((r) => r.id !== id) : [...order, { id, repeats: 1 }];
}

export function setRepeats(order: readonly RoomPick[], id: string, repeats: number, max: number): RoomPick[] {
  const n = Math.min(Math.max(1, Math.round(repeats)), Math.max(1, max));
  return order.map((r) => (r.id === id ? { ...r, repeats: n } : r));
}

/** 1-based position of a room in the order, or 0 when it is not selected. */
export const positionOf = (order: readonly RoomPick[], id: string): number =>
  order.findIndex((r) => r.id === id) + 1;

/** The body of the `clean_rooms` command (repeats left out when 1, as the protocol defaults them). */
export const cleanRoomsBody = (order: readonly RoomPick[]) => ({
  rooms: order.map((r) => (r.repeats > 1 ? { id: r.id, repeats: r.repeats } : { id: r.id })),
});

/** Every room picked, in the list's order (the user's room order); rooms already picked keep their repeats. */
export function pickAll(rooms: readonly { id: string }[], order: readonly RoomPick[]): RoomPick[] {
  return rooms.map((room) => order.find((r) => r.id === room.id) ?? { id: room.id, repeats: 1 });
}

/** The room ids with `id` moved one place up (-1) or down (+1); the same list when it is already at that end. */
export function moveRoom(ids: readonly string[], id: string, by: -1 | 1): string[] {
  const to = ids.indexOf(id) + by;
  return to < 0 || to >= ids.length ? [...ids] : moveRoomTo(ids, id, to);
}

/** The room ids with `id` moved to place `to` (0-based, clamped to the list); unknown ids change nothing. */
export function moveRoomTo(ids: readonly string[], id: string, to: number): string[] {
  const out = [...ids];
  const from = out.indexOf(id);
  if (from < 0) return out;
  out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, id);
  return out;
}

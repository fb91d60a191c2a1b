/**
 * The user's room order applied to a room list from elsewhere (the robot's own `rooms.list`, which Matter's
 * ServiceArea publishes): rooms the order names come first, in its order; the rest follow in their own order.
 */
export function inRoomOrder<T extends { id: string }>(rooms: readonly T[], order: readonly string[]): T[] {
  const place = new Map(order.map((id, i) => [id, i]));
  const rank = (room: T) => place.get(room.id) ?? order.length;
  // Array.prototype.sort is stable: rooms of equal rank keep the list's own order.
  return [...rooms].sort((a, b) => rank(a) - rank(b));
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inRoomOrder } from "../../../hub/maps/room-order.ts";

describe("inRoomOrder", () => {
  const rooms = [{ id: "a" }, { id: "b" }, { id: "c" }, { id: "d" }];

  it("puts rooms in the user's order; rooms it does not name follow in the list's order", () => {
    assert.deepEqual(
      inRoomOrder(rooms, ["c", "a"]).map((r) => r.id),
      ["c", "a", "b", "d"],
    );
    assert.deepEqual(
      inRoomOrder(rooms, ["d", "gone", "b"]).map((r) => r.id),
      ["d", "b", "a", "c"],
    );
  });

  it("keeps the list as it is without an order, and does not change its input", () => {
    assert.deepEqual(inRoomOrder(rooms, []), rooms);
    inRoomOrder(rooms, ["d"]);
    assert.deepEqual(
      rooms.map((r) => r.id),
      ["a", "b", "c", "d"],
    );
  });
});

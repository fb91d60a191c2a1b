import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanRoomsBody, positionOf, setRepeats, toggleRoom } from "../../../web/src/data/room-order.ts";

describe("room order", () => {
  it("keeps the order rooms were tapped in; tapping again removes", () => {
    let order = toggleRoom([], "kitchen");
    order = toggleRoom(order, "hall");
    order = toggleRoom(order, "living");
    assert.deepEqual(
      order.map((r) => r.id),
      ["kitchen", "hall", "living"],
    );
    order = toggleRoom(order, "hall");
    assert.deepEqual(
      order.map((r) => r.id),
      ["kitchen", "living"],
    );
    assert.equal(positionOf(order, "living"), 2);
    assert.equal(positionOf(order, "hall"), 0);
  });

  it("repeats are clamped and sent only when above one", () => {
    let order = toggleRoom(toggleRoom([], "a"), "b");
    order = setRepeats(order, "b", 7, 3);
    assert.equal(order[1]?.repeats, 3);
    order = setRepeats(order, "a", 0, 3);
    assert.deepEqual(cleanRoomsBody(order), { rooms: [{ id: "a" }, { id: "b", repeats: 3 }] });
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  cleanRoomsBody,
  moveRoom,
  moveRoomTo,
  pickAll,
  positionOf,
  setRepeats,
  toggleRoom,
} from "../../../web/src/data/room-order.ts";

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

  it("all rooms are picked in the list's order, keeping the repeats already set", () => {
    const rooms = [{ id: "hall" }, { id: "kitchen" }, { id: "living" }];
    const picked = setRepeats(toggleRoom(toggleRoom([], "living"), "kitchen"), "living", 2, 3);
    assert.deepEqual(pickAll(rooms, picked), [
      { id: "hall", repeats: 1 },
      { id: "kitchen", repeats: 1 },
      { id: "living", repeats: 2 },
    ]);
    assert.deepEqual(pickAll([], picked), []);
  });

  it("moves a room one place up or down, and not past either end", () => {
    const ids = ["a", "b", "c"];
    assert.deepEqual(moveRoom(ids, "b", -1), ["b", "a", "c"]);
    assert.deepEqual(moveRoom(ids, "b", 1), ["a", "c", "b"]);
    assert.deepEqual(moveRoom(ids, "a", -1), ids);
    assert.deepEqual(moveRoom(ids, "c", 1), ids);
    assert.deepEqual(moveRoom(ids, "zz", 1), ids);
    assert.deepEqual(ids, ["a", "b", "c"], "the input is not changed");
  });

  it("moves a room to any place (dragging), clamped to the list", () => {
    const ids = ["a", "b", "c", "d"];
    assert.deepEqual(moveRoomTo(ids, "d", 0), ["d", "a", "b", "c"]);
    assert.deepEqual(moveRoomTo(ids, "a", 2), ["b", "c", "a", "d"]);
    assert.deepEqual(moveRoomTo(ids, "b", 99), ["a", "c", "d", "b"]);
    assert.deepEqual(moveRoomTo(ids, "c", -5), ["c", "a", "b", "d"]);
    assert.deepEqual(moveRoomTo(ids, "zz", 0), ids);
  });
});

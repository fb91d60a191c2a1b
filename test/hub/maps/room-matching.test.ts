/** Recognising rooms after re-mapping: by overlap, not by id, and never for merges or splits. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { matchRenamedRooms } from "../../../hub/maps/room-matching.ts";
import { SimulatedRobot } from "../../../integrations/sweep/simulator/simulated-robot.ts";

const robot = () =>
  new SimulatedRobot({ id: "m-1", name: "M", plan: "apartment", now: () => 0, explored: true });

describe("room matching", () => {
  it("matches every room of a re-mapped floor to its old id", () => {
    const r = robot();
    const before = r.mapSnapshot();
    r.remapFloor();
    const after = r.mapSnapshot();
    const matches = matchRenamedRooms(before, after);
    assert.equal(matches.size, before.rooms.length);
    for (const [newId, oldId] of matches) {
      const oldRoom = before.rooms.find((x) => x.id === oldId)!;
      const newRoom = after.rooms.find((x) => x.id === newId)!;
      assert.equal(newRoom.areaM2, oldRoom.areaM2, `${oldId} -> ${newId}`);
    }
  });

  it("matches across a different raster (resolution and origin) by map coordinates", () => {
    const r = robot();
    const before = r.mapSnapshot();
    r.remapFloor();
    const after = r.mapSnapshot();
    // The same map at half the resolution, shifted by one coarse cell.
    const w = Math.ceil(after.width / 2) + 1;
    const h = Math.ceil(after.height / 2) + 1;
    const segments = new Uint8Array(w * h);
    for (let row = 0; row < after.height; row += 2) {
      for (let col = 0; col < after.width; col += 2) {
        segments[(row / 2 + 1) * w + col / 2 + 1] = after.segments[row * after.width + col];
      }
    }
    const coarse = { ...after, pixelMm: 100, originX: -100, originY: -100, width: w, height: h, segments };
    assert.equal(matchRenamedRooms(before, coarse).size, before.rooms.length);
  });

  it("does not treat a merge or a split as a re-map", () => {
    const r = robot();
    const before = r.mapSnapshot();
    r.mergeRooms("living", "kitchen");
    r.splitRoom("living", { x1: 3000, y1: 0, x2: 3000, y2: 5000 });
    const after = r.mapSnapshot();
    assert.equal(matchRenamedRooms(before, after).size, 0);
  });
});

/**
 * The simulator's maps: exploration on a first run, deltas that rebuild the robot's map exactly, restrictions
 * obeyed by planning, room edits, and separate maps per floor.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyMapDelta,
  decodeMapFrame,
  encodeDeltaFrame,
  encodeFullFrame,
} from "../../../../integrations/sweep/protocol/map-frame.ts";
import { MapCell, type RobotMap } from "../../../../integrations/sweep/protocol/map-model.ts";
import type { MapUpdate } from "../../../../integrations/sweep/simulator/simulated-robot.ts";
import { createRobot } from "./helpers.ts";

const knownCells = (map: RobotMap) => map.cells.reduce((n, c) => n + (c !== MapCell.unknown ? 1 : 0), 0);

describe("simulator maps", () => {
  it("starts with what the lidar sees from the dock and fills in the map on the first run", () => {
    const t = createRobot("apartment", { explored: false });
    const before = t.robot.mapSnapshot();
    const total = before.cells.length;
    const seenAtDock = knownCells(before);
    assert.ok(seenAtDock > 0 && seenAtDock < total * 0.6, `seen from the dock: ${seenAtDock} of ${total}`);
    t.robot.start();
    t.runUntil((s) => s.status === "docked" || s.status === "charging", 4 * 3600_000);
    const after = t.robot.mapSnapshot();
    assert.ok(knownCells(after) > seenAtDock * 1.5, "the run revealed much more of the home");
    assert.ok(after.path.length > 50, "the session's path is recorded");
    // Every room of the reachable home has known floor cells with its segment.
    for (const room of after.rooms) {
      assert.ok(after.segments.includes(room.segment), `room ${room.id} appears in the segment layer`);
    }
  });

  it("deltas applied to the first full map give exactly the robot's map", () => {
    const t = createRobot("loft", { explored: false });
    const frames: Buffer[] = [];
    let lastPath: { x: number; y: number } | null = null;
    const full = t.robot.mapSnapshot();
    const hub = decodeMapFrame(encodeFullFrame(full));
    assert.equal(hub.kind, "full");
    const mirror = (hub as { map: RobotMap }).map;
    t.robot.onMapUpdate((u: MapUpdate) => {
      if (u.kind === "delta") frames.push(encodeDeltaFrame(u.delta, u.lastPathPoint));
    });
    t.robot.start();
    t.tick(20 * 60_000);
    assert.ok(frames.length > 100, `deltas while cleaning: ${frames.length}`);
    // Taking the snapshot flushes what is pending as one more delta, so it comes first.
    const truth = t.robot.mapSnapshot();
    for (const f of frames) {
      lastPath = mirror.path.length ? mirror.path[mirror.path.length - 1] : null;
      const d = decodeMapFrame(f, lastPath);
      assert.equal(d.kind, "delta");
      if (d.kind !== "delta") return;
      assert.equal(d.delta.baseVersion, mirror.version, "each delta applies to the version before it");
      applyMapDelta(mirror, d.delta);
    }
    assert.equal(mirror.version, truth.version);
    assert.deepEqual(mirror.cells, truth.cells);
    assert.deepEqual(mirror.segments, truth.segments);
    assert.deepEqual(mirror.path, truth.path);
    assert.deepEqual(mirror.robot, truth.robot);
    const sizes = frames.map((f) => f.length).sort((a, b) => a - b);
    assert.ok(
      sizes[Math.floor(sizes.length / 2)] < 400,
      `typical delta is small: ${sizes[Math.floor(sizes.length / 2)]} bytes`,
    );
  });

  it("plans around no-go areas and virtual walls, and around no-mop areas only while mopping", () => {
    const t = createRobot("apartment", { explored: true });
    const noGo = { id: "nogo", kind: "no_go" as const, x1: 1000, y1: 1000, x2: 2500, y2: 2600 };
    const wall = { id: "wall", kind: "virtual_wall" as const, x1: 6000, y1: 2500, x2: 6000, y2: 600 };
    t.robot.setRestrictions([noGo, wall]);
    t.robot.cleanRooms([{ id: "living" }]);
    t.runUntil((s) => s.job === null, 2 * 3600_000);
    const inside = t.samples.filter(
      (s) => s.pose.x > 1000 && s.pose.x < 2500 && s.pose.y > 1000 && s.pose.y < 2600,
    );
    assert.equal(inside.length, 0, "the robot never entered the no-go area");
    const path = t.robot.mapSnapshot().path;
    assert.ok(path.length > 20);
    assert.ok(
      !path.some((p) => p.x > 1000 && p.x < 2500 && p.y > 1000 && p.y < 2600),
      "path avoids the area",
    );
    // The living room / kitchen pass-through is walled off: the kitchen cannot be reached that way.
    assert.ok(
      !t.samples.some((s) => s.currentRoom === "kitchen"),
      "the virtual wall kept it out of the kitchen",
    );
    // A goto into the no-go area is refused.
    assert.throws(() => t.robot.goTo(1700, 1800), /reach|close|fit/);
    // No-mop: ignored while vacuuming, obeyed while mopping.
    const t2 = createRobot("apartment", { explored: true });
    t2.robot.setRestrictions([{ id: "nomop", kind: "no_mop", x1: 500, y1: 500, x2: 5500, y2: 3000 }]);
    t2.robot.goTo(3000, 1800);
    t2.runUntil((s) => s.job === null, 600_000);
    t2.robot.returnToDock();
    t2.runUntil((s) => s.docked, 600_000);
    t2.robot.setSettings({ mode: "mop" });
    assert.throws(() => t2.robot.goTo(3000, 1800), /reach|close|fit/);
  });

  it("refuses restrictions that would block the dock or are degenerate", () => {
    const t = createRobot("apartment", { explored: true });
    assert.throws(
      () => t.robot.setRestrictions([{ id: "a", kind: "no_go", x1: 2500, y1: 0, x2: 3500, y2: 800 }]),
      /dock/,
    );
    assert.throws(
      () => t.robot.setRestrictions([{ id: "a", kind: "no_go", x1: 0, y1: 0, x2: 50, y2: 800 }]),
      /small/,
    );
    assert.throws(
      () =>
        t.robot.setRestrictions([
          { id: "a", kind: "no_go", x1: 0, y1: 0, x2: 500, y2: 800 },
          { id: "a", kind: "no_mop", x1: 0, y1: 0, x2: 500, y2: 800 },
        ]),
      /twice/,
    );
  });

  it("renames, merges and splits rooms; cleaning and rooms.list follow", () => {
    const t = createRobot("apartment", { explored: true });
    t.robot.renameRoom("living", "Lounge");
    assert.equal(t.robot.rooms().rooms.find((r) => r.id === "living")?.name, "Lounge");
    const living = t.robot.rooms().rooms.find((r) => r.id === "living")!.areaM2;
    const kitchen = t.robot.rooms().rooms.find((r) => r.id === "kitchen")!.areaM2;
    assert.throws(() => t.robot.mergeRooms("living", "bathroom"), /do not touch/);
    assert.equal(t.robot.mergeRooms("living", "kitchen"), "living");
    const rooms = t.robot.rooms().rooms;
    assert.equal(
      rooms.find((r) => r.id === "kitchen"),
      undefined,
    );
    assert.ok(Math.abs(rooms.find((r) => r.id === "living")!.areaM2 - (living + kitchen)) < 0.5);
    const newId = t.robot.splitRoom("living", { x1: 6000, y1: 0, x2: 6000, y2: 5000 });
    assert.equal(newId, "living_2");
    const split = t.robot.rooms().rooms;
    assert.ok(split.find((r) => r.id === "living_2")!.areaM2 > 5);
    assert.throws(
      () => t.robot.splitRoom("living", { x1: 20000, y1: 0, x2: 20000, y2: 5000 }),
      /does not divide/,
    );
    const map = t.robot.mapSnapshot();
    assert.deepEqual(
      map.rooms.map((r) => r.id),
      split.map((r) => r.id),
    );
    t.robot.cleanRooms([{ id: "living_2" }]);
    t.runUntil((s) => s.job === null, 3600_000);
    assert.ok(t.named("event.cleaning_finished").at(-1)!.payload !== null);
    assert.throws(() => {
      t.robot.cleanRooms([{ id: "living" }]);
      t.robot.mergeRooms("living", "living_2");
    }, /Stop the current job/);
  });

  it("keeps a map per floor and sends the new floor's map when carried", () => {
    const t = createRobot("house", { explored: true });
    const updates: MapUpdate[] = [];
    t.robot.onMapUpdate((u) => updates.push(u));
    const ground = t.robot.mapSnapshot("ground");
    const upstairs = t.robot.mapSnapshot("upstairs");
    assert.notDeepEqual(
      ground.rooms.map((r) => r.id),
      upstairs.rooms.map((r) => r.id),
    );
    t.robot.setFloor("upstairs");
    assert.ok(updates.some((u) => u.kind === "full" && u.floor === "upstairs"));
    t.robot.setRestrictions([{ id: "stairs", kind: "no_go", x1: 6000, y1: 9000, x2: 8000, y2: 13000 }]);
    assert.equal(t.robot.restrictions("ground").length, 0, "restrictions belong to their floor");
    assert.equal(t.robot.mapSnapshot("upstairs").restrictions.length, 1);
    assert.equal(t.robot.mapSnapshot("ground").robot, null, "the robot is not on the ground floor's map");
  });
});

/**
 * Map storage in a real SQLite file: current maps per floor, session snapshots that live and die with their
 * cleaning session (so retention covers them), room settings that move with a re-mapped room, the rooms' order
 * saved at once, and deletion.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { MapRepository } from "../../../hub/maps/map-repository.ts";
import { CleaningRepository } from "../../../hub/store/cleaning-repository.ts";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { RobotRepository } from "../../../hub/store/robot-repository.ts";
import { pairing, silentLogger, tempDir } from "../store/helpers.ts";

describe("map repository", () => {
  let db: Database;
  let cleanup: () => void;
  let maps: MapRepository;
  let cleaning: CleaningRepository;

  beforeEach(() => {
    const t = tempDir("maps-repo");
    cleanup = t.cleanup;
    db = openDatabase(join(t.dir, "sweephub.db"), silentLogger);
    new RobotRepository(db).upsertPaired(pairing("r1"));
    maps = new MapRepository(db);
    cleaning = new CleaningRepository(db);
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("keeps one current map per floor, replaced by newer ones", () => {
    maps.saveMap("r1", "ground", 1, Buffer.from("a"), 10);
    maps.saveMap("r1", "upstairs", 4, Buffer.from("b"), 11);
    maps.saveMap("r1", "ground", 2, Buffer.from("c"), 12);
    const rows = maps.maps("r1");
    assert.deepEqual(
      rows.map((r) => [r.floor, r.version, r.frame.toString(), r.updatedAt]),
      [
        ["ground", 2, "c", 12],
        ["upstairs", 4, "b", 11],
      ],
    );
  });

  it("keeps a snapshot only for a recorded session, and drops it with the session", () => {
    assert.equal(
      maps.saveSnapshot("r1", "job-1", "ground", 3, Buffer.from("x"), 20),
      false,
      "no session yet",
    );
    cleaning.recordStarted({ robotId: "r1", jobId: "job-1", kind: "full", startedAt: 5 });
    assert.equal(maps.saveSnapshot("r1", "job-1", "ground", 3, Buffer.from("x"), 20), true);
    assert.deepEqual(maps.snapshots("r1"), [{ jobId: "job-1", floor: "ground", version: 3, createdAt: 20 }]);
    assert.equal(maps.snapshot("r1", "job-1")?.frame.toString(), "x");
    // Retention deletes old sessions; their maps go with them.
    assert.equal(cleaning.deleteOlderThan(Number.MAX_SAFE_INTEGER), 1);
    assert.deepEqual(maps.snapshots("r1"), []);
  });

  it("moves room settings to a room's new id, and deletes everything of a robot", () => {
    maps.saveRoom("r1", { floor: "ground", roomId: "study", name: "Library", color: "#aa3300", order: 2 }, 1);
    maps.renameRoomId("r1", "ground", "study", "seg1-7", 2);
    assert.deepEqual(maps.rooms("r1"), [
      { floor: "ground", roomId: "seg1-7", name: "Library", color: "#aa3300", order: 2 },
    ]);
    maps.saveMap("r1", "ground", 1, Buffer.from("a"), 10);
    cleaning.recordStarted({ robotId: "r1", jobId: "job-2", kind: "full", startedAt: 5 });
    maps.saveSnapshot("r1", "job-2", "ground", 1, Buffer.from("a"), 20);
    const exported = maps.exportRobot("r1") as { maps: unknown[]; snapshots: unknown[]; rooms: unknown[] };
    assert.equal(exported.maps.length, 1);
    assert.equal(exported.snapshots.length, 1);
    assert.equal(exported.rooms.length, 1);
    maps.deleteRobot("r1");
    assert.deepEqual(maps.maps("r1"), []);
    assert.deepEqual(maps.snapshots("r1"), []);
    assert.deepEqual(maps.rooms("r1"), []);
  });

  it("saves the order of a floor's rooms at once, keeping names and colours and other floors", () => {
    maps.saveRoom("r1", { floor: "ground", roomId: "b", name: "Den", color: "#123456", order: null }, 1);
    maps.saveRoom("r1", { floor: "upstairs", roomId: "x", name: null, color: null, order: 0 }, 1);
    maps.saveRoomOrder("r1", "ground", ["c", "b", "a"], 2);
    assert.deepEqual(
      maps.rooms("r1").filter((r) => r.floor === "ground"),
      [
        { floor: "ground", roomId: "a", name: null, color: null, order: 2 },
        { floor: "ground", roomId: "b", name: "Den", color: "#123456", order: 1 },
        { floor: "ground", roomId: "c", name: null, color: null, order: 0 },
      ],
    );
    assert.deepEqual(
      maps.rooms("r1").filter((r) => r.floor === "upstairs"),
      [{ floor: "upstairs", roomId: "x", name: null, color: null, order: 0 }],
    );
  });

  it("forgets a robot's maps when the robot is removed", () => {
    maps.saveMap("r1", "ground", 1, Buffer.from("a"), 10);
    maps.saveRoom("r1", { floor: "ground", roomId: "a", name: "A", color: null, order: null }, 1);
    new RobotRepository(db).remove("r1");
    assert.deepEqual(maps.maps("r1"), []);
    assert.deepEqual(maps.rooms("r1"), []);
  });
});

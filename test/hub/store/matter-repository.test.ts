import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, beforeEach, describe, it } from "node:test";
import { type Database, openDatabase } from "../../../hub/store/database.ts";
import { MatterRepository } from "../../../hub/store/matter-repository.ts";
import { RobotRepository } from "../../../hub/store/robot-repository.ts";
import { pairing, silentLogger, tempDir } from "./helpers.ts";

describe("MatterRepository", () => {
  let dir: string;
  let cleanup: () => void;
  let db: Database;
  let repo: MatterRepository;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir("matter-repo"));
    db = openDatabase(join(dir, "hub.db"), silentLogger);
    repo = new MatterRepository(db);
    const robots = new RobotRepository(db);
    for (const id of ["a", "b", "c"]) robots.upsertPaired(pairing(id));
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it("allocates a node once: same port, discriminator and passcode on every later call and after reopening", () => {
    const first = repo.allocateNode("a", "a", 5540, 1);
    assert.equal(first.port, 5540);
    assert.deepEqual(repo.allocateNode("a", "a", 6000, 2), first);
    db.close();
    db = openDatabase(join(dir, "hub.db"), silentLogger);
    assert.deepEqual(new MatterRepository(db).getNode("a"), first);
  });

  it("gives nodes distinct ports and distinct short discriminators (manual codes stay unambiguous)", () => {
    const nodes = ["a", "b", "c"].map((id, i) => repo.allocateNode(id, id, 5540, i));
    assert.deepEqual(
      nodes.map((n) => n.port),
      [5540, 5541, 5542],
    );
    assert.equal(new Set(nodes.map((n) => n.discriminator >> 8)).size, 3);
    for (const n of nodes) assert.notEqual(n.passcode, 20202021);
  });

  it("forgets a robot's allocation, areas and maps when the robot is removed", () => {
    repo.allocateNode("a", "a", 5540, 1);
    repo.syncFloor("a", "ground", [{ id: "kitchen", name: "Kitchen" }]);
    new RobotRepository(db).remove("a");
    assert.equal(repo.getNode("a"), null);
    assert.deepEqual(repo.known("a"), { maps: [], areas: [] });
  });

  it("keeps area ids across renames and floors, and never reuses the id of a room that disappeared", () => {
    let k = repo.syncFloor("a", "ground", [
      { id: "kitchen", name: "Kitchen" },
      { id: "hall", name: "Hall" },
    ]);
    assert.deepEqual(
      k.areas.map((a) => [a.roomId, a.areaId]),
      [
        ["kitchen", 1],
        ["hall", 2],
      ],
    );
    k = repo.syncFloor("a", "ground", [{ id: "kitchen", name: "Cooking" }]);
    assert.deepEqual(
      k.areas.map((a) => [a.roomId, a.areaId, a.name]),
      [["kitchen", 1, "Cooking"]],
    );
    k = repo.syncFloor("a", "upstairs", [{ id: "bedroom", name: "Bedroom" }]);
    assert.deepEqual(
      k.maps.map((m) => [m.floor, m.mapId]),
      [
        ["ground", 1],
        ["upstairs", 2],
      ],
    );
    assert.deepEqual(
      k.areas.map((a) => [a.floor, a.roomId, a.areaId]),
      [
        ["ground", "kitchen", 1],
        ["upstairs", "bedroom", 3],
      ],
    );
    // Another robot numbers its own rooms from 1.
    assert.equal(repo.syncFloor("b", "ground", [{ id: "x", name: "X" }]).areas[0]?.areaId, 1);
  });
});

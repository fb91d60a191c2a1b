import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  applyDelta,
  decodeRuns,
  type MapJson,
  mapJsonRooms,
  mapJsonToModel,
} from "../../../web/src/data/map-json.ts";
import { CELL } from "../../../web/src/data/map-model.ts";

/** A 4 x 3 map in the documented shape (docs/api.md §Map JSON). */
const json = (): MapJson => ({
  robotId: "r1",
  floor: "main",
  floors: ["main", "upstairs"],
  currentFloor: "main",
  version: 10,
  updatedAt: 0,
  pixelMm: 50,
  originX: 100,
  originY: 200,
  width: 4,
  height: 3,
  layers: { encoding: "rle", cells: [2, 4, 1, 4, 0, 4], segments: [0, 4, 1, 2, 2, 2, 0, 4] },
  rooms: [
    {
      id: "b",
      segment: 2,
      name: "Bedroom",
      robotName: "Room 2",
      color: "#aabbcc",
      order: 1,
      areaM2: 1,
      label: { x: 1, y: 2 },
    },
    {
      id: "a",
      segment: 1,
      name: "Lounge",
      robotName: "Living room",
      color: "#112233",
      order: 0,
      areaM2: 2,
      label: { x: 3, y: 4 },
    },
  ],
  restrictions: [
    { id: "n1", kind: "no_go", x1: 0, y1: 0, x2: 10, y2: 20 },
    { id: "w1", kind: "virtual_wall", x1: 0, y1: 0, x2: 100, y2: 0 },
  ],
  dock: { x: 150, y: 250, angle: 90 },
  robot: { x: 150, y: 300, angle: 0 },
  path: [150, 250, 150, 300],
});

describe("map JSON", () => {
  it("decodes run-length layers and rejects ones that do not fit the raster", () => {
    assert.deepEqual([...decodeRuns([0, 2, 3, 1], 3)], [0, 0, 3]);
    assert.throws(() => decodeRuns([0, 2], 3), /2 cells, expected 3/);
    assert.throws(() => decodeRuns([0, 5], 3), /longer/);
  });

  it("becomes a drawable model: grid, rooms in the user's order, restrictions as shapes, path as points", () => {
    const m = mapJsonToModel(json());
    assert.equal(m.version, 10);
    assert.equal(m.grid?.cells[0], CELL.wall);
    assert.equal(m.grid?.cells[5], CELL.floor);
    assert.equal(m.grid?.segments?.[6], 2);
    assert.deepEqual(
      m.rooms.map((r) => [r.id, r.name, r.segment, r.color]),
      [
        ["a", "Lounge", 1, "#112233"],
        ["b", "Bedroom", 2, "#aabbcc"],
      ],
    );
    assert.equal(m.restrictions[0]?.points.length, 4);
    assert.deepEqual(m.restrictions[1]?.points, [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
    ]);
    assert.deepEqual(m.path, [
      { x: 150, y: 250 },
      { x: 150, y: 300 },
    ]);
  });

  it("applies deltas in order; a gap asks for the whole map", () => {
    const m = mapJsonToModel(json());
    const next = applyDelta(m, {
      floor: "main",
      baseVersion: 10,
      version: 11,
      robot: { x: 200, y: 300, angle: 0 },
      pathReset: false,
      path: [200, 300],
      cells: [{ start: 8, types: [1, 1], segments: [2, 2] }],
    });
    assert.ok(next);
    assert.equal(next.version, 11);
    assert.deepEqual(next.robot, { x: 200, y: 300, angle: 0 });
    assert.equal(next.path.length, 3);
    assert.equal(next.grid?.cells[8], CELL.floor);
    assert.equal(next.grid?.segments?.[9], 2);
    assert.equal(m.grid?.cells[8], CELL.unknown, "the old model is untouched");
    const still = applyDelta(next, {
      floor: "main",
      baseVersion: 11,
      version: 12,
      robot: null,
      pathReset: true,
      path: [1, 2],
      cells: [],
    });
    assert.equal(still?.grid, next.grid, "no cell change keeps the same grid (no re-rasterising)");
    assert.deepEqual(still?.path, [{ x: 1, y: 2 }]);
    assert.deepEqual(still?.robot, next.robot);
    assert.equal(
      applyDelta(next, {
        floor: "main",
        baseVersion: 10,
        version: 12,
        robot: null,
        pathReset: false,
        path: [],
        cells: [],
      }),
      null,
    );
    assert.equal(
      applyDelta(next, {
        floor: "upstairs",
        baseVersion: 11,
        version: 12,
        robot: null,
        pathReset: false,
        path: [],
        cells: [],
      }),
      null,
    );
    assert.equal(
      applyDelta(next, {
        floor: "main",
        baseVersion: 11,
        version: 12,
        robot: null,
        pathReset: false,
        path: [],
        cells: [{ start: 11, types: [1, 1], segments: [0, 0] }],
      }),
      null,
    );
  });

  it("gives the room list to show: the user's names (not the robot's) in the user's order", () => {
    assert.deepEqual(mapJsonRooms(json()), {
      floor: "main",
      rooms: [
        { id: "a", name: "Lounge", floor: "main", areaM2: 2 },
        { id: "b", name: "Bedroom", floor: "main", areaM2: 1 },
      ],
    });
  });
});

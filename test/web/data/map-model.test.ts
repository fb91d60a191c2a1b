import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CELL,
  emptyMap,
  gridToRgba,
  type MapGrid,
  modelBounds,
  roomColor,
  roomPalette,
} from "../../../web/src/data/map-model.ts";

describe("map model", () => {
  const grid: MapGrid = {
    originX: 1000,
    originY: 2000,
    pixelMm: 50,
    width: 3,
    height: 2,
    // bottom row: floor (room 1), wall, unknown; top row: obstacle, floor (no room), floor (room 2)
    cells: Uint8Array.from([CELL.floor, CELL.wall, CELL.unknown, CELL.obstacle, CELL.floor, CELL.floor]),
    segments: Uint8Array.from([1, 0, 0, 0, 0, 2]),
  };
  const palette = {
    floor: [10, 10, 10] as [number, number, number],
    wall: [20, 20, 20] as [number, number, number],
    obstacle: [30, 30, 30] as [number, number, number],
    rooms: [undefined, [100, 0, 0], [0, 100, 0]] as ([number, number, number] | undefined)[],
  };

  it("rasterises top row first, rooms coloured, unknown transparent", () => {
    const px = gridToRgba(grid, palette);
    const at = (col: number, rowFromTop: number) => [
      ...px.slice((rowFromTop * 3 + col) * 4, (rowFromTop * 3 + col) * 4 + 4),
    ];
    assert.deepEqual(at(0, 0), [30, 30, 30, 255], "top-left is the obstacle (map row 1)");
    assert.deepEqual(at(1, 0), [10, 10, 10, 255]);
    assert.deepEqual(at(2, 0), [0, 100, 0, 255], "room 2");
    assert.deepEqual(at(0, 1), [100, 0, 0, 255], "room 1 bottom-left");
    assert.deepEqual(at(1, 1), [20, 20, 20, 255]);
    assert.equal(at(2, 1)[3], 0, "unknown is transparent");
  });

  it("frames the grid, or what is known, with a margin", () => {
    assert.deepEqual(modelBounds({ ...emptyMap(), grid }), { x1: 1000, y1: 2000, x2: 1150, y2: 2100 });
    assert.equal(modelBounds(emptyMap()), null);
    const b = modelBounds({
      ...emptyMap(),
      robot: { x: 0, y: 0, angle: 0 },
      dock: { x: 1000, y: 0, angle: 0 },
    });
    assert.deepEqual(b, { x1: -1500, y1: -1500, x2: 2500, y2: 1500 });
  });

  it("room colours follow segment numbers", () => {
    const palette = roomPalette([
      { id: "a", name: "A", segment: 5, label: { x: 0, y: 0 } },
      { id: "b", name: "B", segment: 2, label: { x: 0, y: 0 } },
    ]);
    assert.deepEqual(palette[5], roomColor(0));
    assert.deepEqual(palette[2], roomColor(1));
    assert.equal(palette[1], undefined);
  });

  it("room colours are distinct and stable", () => {
    const colours = new Set(Array.from({ length: 12 }, (_, i) => roomColor(i).join(",")));
    assert.equal(colours.size, 12);
    assert.deepEqual(roomColor(3), roomColor(3));
    assert.notDeepEqual(roomColor(3, true), roomColor(3, false));
  });
});

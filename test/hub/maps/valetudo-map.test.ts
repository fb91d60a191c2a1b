/**
 * Valetudo map JSON: the real upstream examples (test/fixtures/valetudo, Apache-2.0) import with their rooms,
 * areas, dock, robot, path and restrictions; sweephub maps export and import back unchanged; Valetudo maps
 * survive import -> export -> import; bad input is a clear `invalid_request`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { HubError } from "../../../hub/core/errors.ts";
import { jsonRooms, roomLabels } from "../../../hub/maps/map-json.ts";
import { fromValetudoMap, toValetudoMap, type ValetudoMap } from "../../../hub/maps/valetudo-map.ts";
import { MapCell, type RobotMap } from "../../../integrations/sweep/protocol/map-model.ts";
import { SimulatedRobot } from "../../../integrations/sweep/simulator/simulated-robot.ts";

const fixture = (name: string): ValetudoMap =>
  JSON.parse(
    gunzipSync(readFileSync(new URL(`../../fixtures/valetudo/${name}.json.gz`, import.meta.url))).toString(),
  );

const rooms = (map: RobotMap) => jsonRooms(map, () => undefined, roomLabels(map));

function simulatorMap(): RobotMap {
  const robot = new SimulatedRobot({ id: "v-1", name: "V", plan: "apartment", now: () => 0, explored: true });
  robot.setRestrictions([
    { id: "a", kind: "no_go", x1: 500, y1: 1000, x2: 1500, y2: 2000 },
    { id: "b", kind: "no_mop", x1: 6500, y1: 500, x2: 9000, y2: 2500 },
    { id: "c", kind: "virtual_wall", x1: 8000, y1: 5000, x2: 8000, y2: 6000 },
  ]);
  robot.goTo(3000, 2000);
  robot.advance(30_000);
  return robot.mapSnapshot();
}

describe("Valetudo map JSON", () => {
  it("imports the real examples", () => {
    const z10 = fromValetudoMap(fixture("dreame_z10_1056_virtual_restrictions"));
    assert.equal(z10.pixelMm, 50);
    assert.equal(z10.rooms.length, 6);
    const total = z10.rooms.reduce((a, r) => a + r.areaM2, 0);
    const valetudoTotal = (27700 + 105425 + 60675 + 47900 + 108350 + 99675) / 10_000;
    assert.ok(Math.abs(total - valetudoTotal) < valetudoTotal * 0.01, `area ${total} vs ${valetudoTotal}`);
    assert.deepEqual(
      z10.restrictions.map((r) => r.kind),
      ["no_go", "no_mop", "virtual_wall"],
    );
    assert.deepEqual(z10.dock, { x: 32800, y: (6554 - 3343) * 10, angle: 1 });
    assert.ok(z10.robot);
    // The charger pixel lies on the map: entities and layers share one frame of reference.
    const col = Math.floor((z10.dock!.x - z10.originX) / z10.pixelMm);
    const row = Math.floor((z10.dock!.y - z10.originY) / z10.pixelMm);
    assert.ok(col >= 0 && col < z10.width && row >= 0 && row < z10.height);

    const roborock = fromValetudoMap(fixture("roborock_S5_FW1886_with_goto_target"));
    assert.equal(roborock.rooms.length, 0);
    assert.ok(roborock.cells.includes(MapCell.floor) && roborock.cells.includes(MapCell.wall));
    assert.ok(roborock.path.length > 10, "the path entity is imported");

    const x10 = fromValetudoMap(fixture("dreame_x10plus_1104_with_obstacle"));
    assert.equal(x10.rooms.length, 6);
    assert.ok(x10.path.length > 10, "all path pieces are joined");
  });

  it("Valetudo -> sweephub -> Valetudo -> sweephub is stable", () => {
    for (const name of [
      "dreame_z10_1056_virtual_restrictions",
      "roborock_S5_FW1886_with_goto_target",
      "dreame_x10plus_1104_with_obstacle",
    ]) {
      const once = fromValetudoMap(fixture(name));
      const exported = toValetudoMap(once, rooms(once));
      const twice = fromValetudoMap(JSON.parse(JSON.stringify(exported)));
      assert.deepEqual(twice, once, name);
      // Exported layers carry what Valetudo's own maps carry.
      for (const layer of exported.layers as unknown as {
        metaData: { area: number };
        dimensions: { pixelCount: number };
      }[]) {
        assert.equal(layer.metaData.area, layer.dimensions.pixelCount * exported.pixelSize ** 2);
      }
    }
  });

  it("sweephub -> Valetudo -> sweephub keeps the map (furniture becomes wall, Valetudo has no obstacle layer)", () => {
    const map = simulatorMap();
    const back = fromValetudoMap(JSON.parse(JSON.stringify(toValetudoMap(map, rooms(map)))), map.floor);
    assert.equal(back.pixelMm, map.pixelMm);
    assert.equal(back.originX, map.originX);
    assert.equal(back.originY, map.originY);
    assert.equal(back.width, map.width);
    assert.equal(back.height, map.height);
    const expected = map.cells.map((c) => (c === MapCell.obstacle ? MapCell.wall : c));
    assert.deepEqual(back.cells, expected);
    for (let i = 0; i < map.cells.length; i++) {
      if (map.cells[i] !== MapCell.floor) continue;
      const a = map.rooms.find((r) => r.segment === map.segments[i])?.id;
      const b = back.rooms.find((r) => r.segment === back.segments[i])?.id;
      assert.equal(b, a, `cell ${i} keeps its room`);
    }
    assert.deepEqual(
      back.rooms.map((r) => r.name),
      map.rooms.map((r) => r.name),
    );
    assert.deepEqual(
      back.restrictions.map(({ id: _, ...r }) => r),
      map.restrictions.map(({ id: _, ...r }) => r),
    );
    assert.deepEqual(back.dock, map.dock);
    assert.deepEqual(back.robot, { ...map.robot!, angle: Math.round(map.robot!.angle) % 360 });
    // Valetudo has whole centimetres: the path comes back within a centimetre.
    assert.equal(back.path.length, map.path.length);
    back.path.forEach((p, k) => {
      assert.ok(Math.abs(p.x - map.path[k].x) <= 10 && Math.abs(p.y - map.path[k].y) <= 10, `point ${k}`);
    });
  });

  it("refuses what is not a usable Valetudo map", () => {
    const refuse = (input: unknown, pattern: RegExp) =>
      assert.throws(
        () => fromValetudoMap(input),
        (e: unknown) => e instanceof HubError && e.code === "invalid_request" && pattern.test(e.message),
      );
    refuse({ layers: [] }, /Valetudo/);
    refuse({ pixelSize: 5, size: { x: 10, y: 10 }, layers: [], entities: [] }, /no pixels/);
    refuse(
      {
        pixelSize: 5,
        size: { x: 10, y: 10 },
        layers: [{ type: "floor", compressedPixels: [1, 2] }],
        entities: [],
      },
      /triples/,
    );
    refuse(
      {
        pixelSize: 5,
        size: { x: 10, y: 10 },
        layers: [{ type: "floor", compressedPixels: [0, 0, 5000, 0, 5000, 1] }],
        entities: [],
      },
      /larger/,
    );
  });
});

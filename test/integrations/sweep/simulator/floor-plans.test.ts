import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FLOOR_PLAN_IDS, roomIndexAt } from "../../../../integrations/sweep/simulator/floor-plan.ts";
import { getFloorPlan, listFloorPlans } from "../../../../integrations/sweep/simulator/floor-plans.ts";
import { NavigationMap } from "../../../../integrations/sweep/simulator/navigation.ts";
import {
  CellType,
  cellIndexAt,
  rasteriseFloor,
} from "../../../../integrations/sweep/simulator/occupancy-grid.ts";

describe("floor plans", () => {
  it("lists the three built-in homes", () => {
    assert.deepEqual(listFloorPlans(), ["apartment", "house", "loft"]);
    assert.deepEqual(listFloorPlans(), [...FLOOR_PLAN_IDS]);
  });

  it("gives the house two floors and the others one", () => {
    assert.deepEqual(
      getFloorPlan("house").floors.map((f) => f.id),
      ["ground", "upstairs"],
    );
    assert.equal(getFloorPlan("apartment").floors.length, 1);
    assert.equal(getFloorPlan("loft").floors.length, 1);
    const apartmentRooms = getFloorPlan("apartment").floors[0].rooms.length;
    assert.ok(apartmentRooms >= 4 && apartmentRooms <= 5, `apartment has ${apartmentRooms} rooms`);
  });

  for (const planId of listFloorPlans()) {
    const plan = getFloorPlan(planId);
    it(`${planId}: room ids are unique across floors and rooms do not overlap`, () => {
      const ids = plan.floors.flatMap((f) => f.rooms.map((r) => r.id));
      assert.equal(new Set(ids).size, ids.length);
      for (const floor of plan.floors) {
        floor.rooms.forEach((room, index) => {
          for (const r of room.rects) {
            // The centre of each rectangle belongs to its own room (first match wins only on overlaps).
            assert.equal(roomIndexAt(floor, (r.x1 + r.x2) / 2, (r.y1 + r.y2) / 2), index, room.id);
          }
        });
      }
    });

    for (const floor of plan.floors) {
      it(`${planId}/${floor.id}: walls, doors and furniture rasterise, and every room is reachable`, () => {
        const grid = rasteriseFloor(floor);
        const nav = new NavigationMap(grid);
        const counts = [0, 0, 0, 0];
        for (const c of grid.cells) counts[c]++;
        assert.ok(counts[CellType.wall] > 0 && counts[CellType.obstacle] > 0 && counts[CellType.floor] > 0);
        const landing = floor.dock ?? floor.arrival;
        assert.ok(nav.isFreeAt(landing.x, landing.y), "dock/arrival pose is free");
        assert.ok(nav.isFreeAt(floor.arrival.x, floor.arrival.y), "arrival pose is free");
        const home = nav.componentAt(landing.x, landing.y);
        for (const room of grid.rooms) {
          let reachable = false;
          for (let i = 0; i < grid.cells.length && !reachable; i++) {
            reachable = nav.free[i] === 1 && nav.component[i] === home && grid.roomIndex[i] === room.index;
          }
          assert.ok(reachable, `${room.id} reachable from the dock`);
          assert.ok(room.areaM2 > 3, `${room.id} has an area`);
        }
      });
    }
  }

  it("closes outer walls and opens doors between rooms", () => {
    const floor = getFloorPlan("apartment").floors[0];
    const grid = rasteriseFloor(floor);
    const at = (x: number, y: number) => grid.cells[cellIndexAt(grid, x, y)];
    assert.equal(at(25, 2500), CellType.wall, "outer wall of the living room");
    assert.equal(at(5975, 3200), CellType.wall, "wall between living room and hallway");
    assert.equal(at(5975, 4100), CellType.floor, "living room - hallway door");
    assert.equal(at(2925, 3625), CellType.obstacle, "coffee table leg");
    assert.equal(at(3500, 3900), CellType.floor, "under the coffee table");
  });

  it("keeps the corner behind the apartment's sofa unreachable", () => {
    const grid = rasteriseFloor(getFloorPlan("apartment").floors[0]);
    const nav = new NavigationMap(grid);
    const dock = grid.dock!;
    assert.ok(nav.isFreeAt(800, 4300));
    assert.notEqual(nav.componentAt(800, 4300), nav.componentAt(dock.x, dock.y));
  });

  it("takes the resolution as a parameter; the house ground floor is about 1000 x 1000 cells at 20 mm", () => {
    const floor = getFloorPlan("house").floors[0];
    const coarse = rasteriseFloor(floor);
    assert.equal(coarse.resolutionMm, 50);
    const fine = rasteriseFloor(floor, 20);
    assert.equal(fine.width * 20, coarse.width * 50);
    assert.equal(fine.height, 1000);
    assert.ok(fine.width >= 800);
    const byId = (g: typeof fine) => Object.fromEntries(g.rooms.map((r) => [r.id, r.areaM2]));
    for (const [id, area] of Object.entries(byId(coarse))) {
      assert.ok(Math.abs(byId(fine)[id] - area) / area < 0.05, `${id} area stable across resolutions`);
    }
  });
});

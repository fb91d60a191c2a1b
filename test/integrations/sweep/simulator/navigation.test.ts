import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planCoverage } from "../../../../integrations/sweep/simulator/coverage-planner.ts";
import type { Point } from "../../../../integrations/sweep/simulator/floor-plan.ts";
import { getFloorPlan } from "../../../../integrations/sweep/simulator/floor-plans.ts";
import { roomRegion } from "../../../../integrations/sweep/simulator/job-planner.ts";
import { NavigationMap } from "../../../../integrations/sweep/simulator/navigation.ts";
import {
  CellType,
  cellIndexAt,
  rasteriseFloor,
} from "../../../../integrations/sweep/simulator/occupancy-grid.ts";

const apartment = rasteriseFloor(getFloorPlan("apartment").floors[0]);
const nav = new NavigationMap(apartment);

/** Samples a polyline every 10 mm and returns the cell types the robot's centre passes over. */
function typesAlong(points: Point[]): Set<number> {
  const types = new Set<number>();
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / 10));
    for (let s = 0; s <= n; s++) {
      const i = cellIndexAt(apartment, a.x + ((b.x - a.x) * s) / n, a.y + ((b.y - a.y) * s) / n);
      types.add(nav.free[i] ? -1 : apartment.cells[i]);
    }
  }
  return types;
}

describe("navigation map", () => {
  it("keeps the robot's radius away from walls", () => {
    assert.ok(!nav.isFreeAt(3000, 60), "right next to the outer wall");
    assert.ok(nav.isFreeAt(3000, 250), "a robot radius and a bit away");
  });

  it("finds a path through doors, only over free cells, starting and ending at the given points", () => {
    const from = { x: 3000, y: 250 };
    const to = { x: 6500, y: 7500 }; // bathroom, through living room and hallway
    const path = nav.findPath(from, to);
    assert.ok(path);
    assert.deepEqual(path[0], from);
    assert.deepEqual(path[path.length - 1], to);
    assert.deepEqual([...typesAlong(path)], [-1], "only free cells");
    const length = path.slice(1).reduce((sum, p, k) => sum + Math.hypot(p.x - path[k].x, p.y - path[k].y), 0);
    assert.ok(length < 14_000, `path is short (${Math.round(length)} mm)`);
  });

  it("returns null for unreachable or blocked points", () => {
    assert.equal(nav.findPath({ x: 3000, y: 250 }, { x: 800, y: 4300 }), null, "walled-in pocket");
    assert.equal(nav.findPath({ x: 3000, y: 250 }, { x: 2000, y: 4000 }), null, "inside the sofa");
  });

  it("checks straight segments cell by cell", () => {
    assert.ok(nav.segmentIsFree({ x: 1000, y: 2000 }, { x: 3000, y: 2500 }));
    assert.ok(!nav.segmentIsFree({ x: 3000, y: 2500 }, { x: 3000, y: 5500 }), "through the bedroom wall");
  });
});

describe("coverage planner", () => {
  it("sweeps a room in lanes 200 mm apart, never leaving free cells, reaching almost every floor cell", () => {
    const bedroom = apartment.rooms.findIndex((r) => r.id === "bedroom");
    const region = roomRegion(apartment, bedroom);
    const start = { x: 4200, y: 5300 };
    const points = planCoverage(nav, region, start);
    assert.deepEqual(points[0], start);
    assert.deepEqual([...typesAlong(points)], [-1]);
    // Long horizontal moves are lanes; their rows are spaced by multiples of the 200 mm swath.
    const laneYs = new Set<number>();
    for (let k = 1; k < points.length; k++) {
      if (points[k].y === points[k - 1].y && Math.abs(points[k].x - points[k - 1].x) > 1000)
        laneYs.add(points[k].y);
    }
    assert.ok(laneYs.size >= 8, `${laneYs.size} lanes`);
    // Most lanes sit on one 200 mm grid; the rest are touch-ups along furniture edges.
    const byPhase = new Map<number, number>();
    for (const y of laneYs) byPhase.set(y % 200, (byPhase.get(y % 200) ?? 0) + 1);
    const main = Math.max(...byPhase.values());
    assert.ok(main >= 0.6 * laneYs.size, `${main} of ${laneYs.size} lanes on the 200 mm grid`);
  });

  it("plans nothing for a region that cannot be reached", () => {
    const region = new Uint8Array(apartment.cells.length);
    region[cellIndexAt(apartment, 800, 4300)] = 1;
    assert.deepEqual(planCoverage(nav, region, { x: 3000, y: 250 }), []);
    assert.equal(apartment.cells[cellIndexAt(apartment, 800, 4300)], CellType.floor);
  });
});
